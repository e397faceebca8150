"""factory_boy factories over the real reference data (loaded once per test session)."""

import time

import factory
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Employer, EmploymentService, Role, User
from accounts.two_factor import two_factor_required
from candidates.models import Candidate
from taxonomy.models import Occupation, Place
from vacancies.models import ContractType, Vacancy, VacancyStatus


def place(name: str, country: str | None = None) -> Place:
    places = Place.objects.filter(name=name)
    if country:
        places = places.filter(country=country)
    return places.order_by("-population").first()


def service(code: str) -> EmploymentService:
    return EmploymentService.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    role = Role.JOBSEEKER
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def two_factor_device(user, create, extracted, **kwargs):
        """Caseworkers and admins must log in with a TOTP code (accounts/two_factor.py): they get a
        confirmed device with the known TOTP_KEY, as if they had set up their app. Pass
        ``two_factor_device=False`` for one who has not set it up yet."""
        if create and extracted is not False and two_factor_required(user):
            TOTPDevice.objects.create(user=user, name="authenticator", key=TOTP_KEY, confirmed=True)


# RFC 6238's test secret ("12345678901234567890") in hex: the factories' users' authenticator key.
TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app with this device's key shows, that the device accepts now.

    A code is accepted once (the device remembers its time step, ``last_t``), and the device
    takes the steps around the current one (``tolerance``); so a second login within the same
    30 s uses the next step's code, and when that is used too, this waits for the next step."""
    device.refresh_from_db()
    while True:
        now_step = int(time.time() - device.t0) // device.step + device.drift
        step = max(now_step, device.last_t + 1)
        if step <= now_step + device.tolerance:
            return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        time.sleep(1)


def kbo_number(n: int) -> str:
    """A valid Belgian enterprise number (mod-97 check) for sequence number n."""
    base = 2_000_000 + n
    digits = f"0{base:07d}{97 - base % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    legal_name = factory.Sequence(lambda n: f"Testbedrijf {n} B.V.")
    country = "NL"
    kvk_number = factory.Sequence(lambda n: f"{10_000_000 + n:08d}")
    enterprise_number = ""
    place = factory.LazyFunction(lambda: place("Terneuzen"))
    is_verified = True

    class Params:
        belgian = factory.Trait(
            country="BE",
            kvk_number="",
            enterprise_number=factory.Sequence(kbo_number),
            place=factory.LazyFunction(lambda: place("Zelzate", "BE")),
        )


class EmployerUserFactory(UserFactory):
    role = Role.EMPLOYER
    employer = factory.SubFactory(EmployerFactory)


class CaseworkerFactory(UserFactory):
    role = Role.CASEWORKER
    employment_service = factory.LazyFunction(lambda: service("vdab"))


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    country = "NL"
    home_place = factory.LazyFunction(lambda: place("Terneuzen"))
    employment_service = factory.LazyFunction(lambda: service("uwv"))
    commute_by_car = True
    max_commute_minutes = 60
    hours_wanted = 38
    accepts_shift_work = True
    consent_matching_at = factory.LazyFunction(timezone.now)
    consent_cross_border_at = None


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Procesoperator {n}")
    description = "Ploegendienst in de Kanaalzone."
    occupation = factory.LazyFunction(lambda: Occupation.objects.filter(is_stem=True).order_by("uri").first())
    is_stem = True
    place = factory.LazyFunction(lambda: place("Terneuzen"))
    contract_type = ContractType.PERMANENT
    hours_per_week = 38
    status = VacancyStatus.DRAFT
