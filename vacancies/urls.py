from . import urls_employer, urls_public

app_name = "vacancies"

# The public search and vacancy pages, then the employer's and moderators' pages.
urlpatterns = urls_public.urlpatterns + urls_employer.urlpatterns
