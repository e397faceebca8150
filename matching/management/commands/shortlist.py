import json

from django.core.management.base import BaseCommand, CommandError

from matching.models import Match, NearMiss, ShortlistSummary
from taxonomy.models import Skill
from vacancies.models import Vacancy


class Command(BaseCommand):
    help = (
        "Print a vacancy's shortlist as a caseworker sees it: rank, score, factors and reasons; "
        "then its near misses (one closable gap: skills, language or education)."
    )

    def add_arguments(self, parser):
        parser.add_argument("vacancy_id", type=int)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, vacancy_id, **options):
        as_json = options["json"]
        try:
            vacancy = Vacancy.objects.select_related("employer", "place").get(pk=vacancy_id)
        except Vacancy.DoesNotExist as exc:
            raise CommandError(f"No vacancy {vacancy_id}.") from exc
        matches = list(
            Match.objects.filter(vacancy=vacancy)
            .select_related("candidate__user", "candidate__home_place")
            .order_by("rank", "-score", "candidate_id")
        )
        summary = ShortlistSummary.objects.filter(vacancy=vacancy).first()
        near_misses = list(NearMiss.objects.filter(vacancy=vacancy).order_by("rank", "candidate_id"))
        skill_ids = {s for near in near_misses for s in near.gap.get("skills", [])}
        labels = {s.pk: s.label_en for s in Skill.objects.filter(pk__in=skill_ids)}
        data = {
            "vacancy": {
                "id": vacancy.pk,
                "title": vacancy.title,
                "employer": vacancy.employer.legal_name,
                "place": str(vacancy.place),
                "status": vacancy.status,
            },
            "summary": {
                "candidates_total": summary.candidates_total,
                "eligible": summary.eligible,
                "exclusions": summary.exclusions,
                "near_misses": summary.near_misses,
            }
            if summary
            else None,
            "matches": [
                {
                    "rank": m.rank,
                    "candidate_id": m.candidate_id,
                    "score": round(m.score, 4),
                    "review_status": m.review_status,
                    "flagged": m.is_flagged,
                    "flag_reasons": m.flag_reasons,
                    "factors": m.factors,
                    "explanation": m.explanation,
                }
                for m in matches
            ],
            "near_misses": [
                {
                    "rank": near.rank,
                    "candidate_id": near.candidate_id,
                    "score": round(near.score, 4),  # as if the gap were closed
                    "kind": near.kind,
                    "gap": {
                        **near.gap,
                        "skills": [{"id": s, "label": labels.get(s, "")} for s in near.gap.get("skills", [])],
                    },
                    "explanation": near.explanation,
                }
                for near in near_misses
            ],
        }
        if as_json:
            self.stdout.write(_json_dumps(data))
            return
        self.stdout.write(f"{vacancy.title} — {vacancy.employer.legal_name}, {vacancy.place} [{vacancy.status}]")
        if summary:
            self.stdout.write(f"{summary.eligible} of {summary.candidates_total} candidates pass every filter.")
            for reason, count in sorted(summary.exclusions.items(), key=lambda kv: -kv[1]):
                if count:
                    self.stdout.write(f"  excluded: {reason}: {count}")
        for m in matches:
            factors = ", ".join(f"{k} {v:.2f}" for k, v in m.factors.items())
            flag = " FLAGGED " + ",".join(m.flag_reasons) if m.is_flagged else ""
            self.stdout.write(
                f"{m.rank or '-':>3}. candidate {m.candidate_id:<7} {m.score:.3f} [{m.review_status}]{flag}  {factors}"
            )
            for reason in m.explanation:
                details = ", ".join(f"{k}={v}" for k, v in reason.items() if k != "code")
                self.stdout.write(f"       {reason['code']}: {details}")
        if data["near_misses"]:
            self.stdout.write("Near misses (score as if the gap were closed):")
        for near in data["near_misses"]:
            gap = near["gap"]
            if near["kind"] == "skills":
                what = "lacks " + ", ".join(f"{s['label']} ({s['id']})" for s in gap["skills"])
            elif near["kind"] == "language":
                lang = gap["language"]
                what = f"{lang['code']} level {lang['has']}, {lang['required']} required"
            else:
                what = f"EQF {gap['education']['has']}, {gap['education']['required']} required"
            self.stdout.write(f"{near['rank']:>3}. candidate {near['candidate_id']:<7} {near['score']:.3f}  {what}")


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
