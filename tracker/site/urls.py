from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from goals import api as goals_api
from goals import embeds, feeds
from goals import views as goals
from partners import api as partners_api
from partners import views as partners
from tracker.core.cache import cache_public
from tracker.core.headers import frameable_anywhere
from tracker.site import accounts, pages, search, views
from tracker.site.sitemaps import SITEMAPS

api = DefaultRouter()
api.register("plans", goals_api.PlanViewSet, basename="api-plan")
api.register("goals", goals_api.GoalViewSet, basename="api-goal")
api.register("initiatives", goals_api.InitiativeViewSet, basename="api-initiative")
api.register("deliverables", goals_api.DeliverableViewSet, basename="api-deliverable")
api.register("progress-updates", goals_api.ProgressUpdateViewSet, basename="api-progress-update")
api.register("indicators", goals_api.IndicatorViewSet, basename="api-indicator")
api.register("member-states", goals_api.MemberStateViewSet, basename="api-member-state")
api.register("bodies", goals_api.BodyViewSet, basename="api-body")
api.register("lineage", goals_api.LineageLinkViewSet, basename="api-lineage")
api.register("partners", partners_api.PartnerViewSet, basename="api-partner")
api.register("programmes", partners_api.ProgrammeViewSet, basename="api-programme")

# Pages people read: in English at these addresses, and under /id/ and /vi/ in the other
# languages of the interface (tracker.core.i18n).
public_pages = [
    path("", cache_public(goals.OverviewView.as_view()), name="home"),
    path("plans/<slug:plan>/", cache_public(goals.OverviewView.as_view()), name="plan-overview"),
    path(
        "plans/<slug:plan>/goals/<int:number>/",
        cache_public(goals.GoalDetailView.as_view()),
        name="goal-detail",
    ),
    path(
        "plans/<slug:plan>/initiatives/<int:number>/",
        cache_public(goals.InitiativeDetailView.as_view()),
        name="initiative-detail",
    ),
    path(
        "plans/<slug:plan>/initiatives/<int:number>/<str:code>/",
        cache_public(goals.DeliverableDetailView.as_view()),
        name="deliverable-detail",
    ),
    path("plans/<slug:plan>/lineage/", cache_public(goals.LineageView.as_view()), name="plan-lineage"),
    path(
        "plans/<slug:plan>/indicators/",
        cache_public(goals.IndicatorListView.as_view()),
        name="indicator-list",
    ),
    path(
        "plans/<slug:plan>/indicators/<slug:slug>/",
        cache_public(goals.IndicatorDetailView.as_view()),
        name="indicator-detail",
    ),
    path("plans/<slug:plan>/member-states/", cache_public(goals.MatrixView.as_view()), name="matrix"),
    path("member-states/", cache_public(goals.MatrixView.as_view()), name="matrix-default"),
    path("plans/<slug:plan>/scorecard/", cache_public(goals.ScorecardView.as_view()), name="scorecard"),
    path("scorecard/", cache_public(goals.ScorecardView.as_view()), name="scorecard-default"),
    path(
        "member-states/<slug:slug>/",
        cache_public(goals.MemberStateDetailView.as_view()),
        name="member-state-detail",
    ),
    path("bodies/<slug:slug>/", cache_public(goals.BodyDetailView.as_view()), name="body-detail"),
    path("platforms/", cache_public(goals.PlatformListView.as_view()), name="platform-list"),
    path("methodology/", cache_public(goals.MethodologyView.as_view()), name="methodology"),
    path(
        "explore/initiatives/",
        cache_public(goals.InitiativeExplorerView.as_view()),
        name="explore-initiatives",
    ),
    path(
        "explore/deliverables/",
        cache_public(goals.DeliverableExplorerView.as_view()),
        name="explore-deliverables",
    ),
    path("explore/updates/", cache_public(goals.UpdateExplorerView.as_view()), name="explore-updates"),
    path("partners/", cache_public(partners.PartnerListView.as_view()), name="partner-list"),
    path("partners/<slug:slug>/", cache_public(partners.PartnerDetailView.as_view()), name="partner-detail"),
    path(
        "partners/<slug:slug>/article-67/<int:year>/",
        cache_public(partners.Article67ReportView.as_view()),
        name="article-67-report",
    ),
    path(
        "plans/<slug:plan>/rounds/<int:pk>/meeting-pack/",
        cache_public(goals.MeetingPackView.as_view()),
        name="meeting-pack",
    ),
    path("plans/<slug:plan>/compare/", cache_public(goals.CompareView.as_view()), name="compare"),
    path("search/", cache_public(search.search), name="search"),
    path("data/", cache_public(views.DataView.as_view()), name="data"),
    path("data/releases/", cache_public(views.ReleaseListView.as_view()), name="release-list"),
    path(
        "data/releases/<str:version>/", cache_public(views.ReleaseDetailView.as_view()), name="release-detail"
    ),
    path("about/", cache_public(pages.AboutView.as_view()), name="about"),
    path("glossary/", cache_public(pages.GlossaryView.as_view()), name="glossary"),
]

# Addresses in no language: the API, data files, charts, feeds, embeds, the admin, health checks
# and what crawlers and browsers ask for.
urlpatterns = [
    path("api/", include(api.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "plans/<slug:plan>/charts/<slug:name>.svg", cache_public(goals.ChartView.as_view()), name="plan-chart"
    ),
    path(
        "plans/<slug:plan>/scorecard/map.svg",
        cache_public(goals.ScorecardMapView.as_view()),
        name="scorecard-map",
    ),
    path("data/dataset.zip", cache_public(views.dataset_zip), name="dataset-zip"),
    path("data/releases/<str:version>/<str:file_name>", views.release_file, name="release-file"),
    path("data/<slug:name>.csv", cache_public(views.data_file), name="data-file"),
    path("data/<slug:name>.xlsx", cache_public(views.data_file), {"format": "xlsx"}, name="data-file-xlsx"),
    path("robots.txt", cache_public(pages.robots_txt), name="robots-txt"),
    path("sitemap.xml", cache_public(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("favicon.ico", pages.favicon, name="favicon"),
    # Atom feeds of approved progress: the whole site, a plan, a goal, a member state.
    path("updates.atom", cache_public(feeds.ApprovedProgressFeed()), name="feed-updates"),
    path("plans/<slug:plan>/updates.atom", cache_public(feeds.PlanProgressFeed()), name="feed-plan"),
    path(
        "plans/<slug:plan>/goals/<int:number>/updates.atom",
        cache_public(feeds.GoalProgressFeed()),
        name="feed-goal",
    ),
    path(
        "member-states/<slug:slug>/updates.atom",
        cache_public(feeds.MemberStateProgressFeed()),
        name="feed-member-state",
    ),
    # Cards other sites may show in a frame; no other page may be framed.
    path(
        "embed/plans/<slug:plan>/goals/<int:number>/",
        cache_public(frameable_anywhere(embeds.GoalCardView.as_view())),
        name="embed-goal",
    ),
    path(
        "embed/plans/<slug:plan>/initiatives/<int:number>/",
        cache_public(frameable_anywhere(embeds.InitiativeCardView.as_view())),
        name="embed-initiative",
    ),
    path(
        "embed/plans/<slug:plan>/initiatives/<int:number>/<str:code>/",
        cache_public(frameable_anywhere(embeds.DeliverableCardView.as_view())),
        name="embed-deliverable",
    ),
    path(
        "embed/member-states/<slug:slug>/",
        cache_public(frameable_anywhere(embeds.MemberStateCardView.as_view())),
        name="embed-member-state",
    ),
    path("evidence/<int:pk>/", goals.evidence, name="evidence"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/alive", views.alive, name="alive"),
    # Signing in without help: forgotten passwords by e-mail, invitations (tracker.site.accounts).
    path("admin/password-reset/", accounts.PasswordResetView.as_view(), name="admin_password_reset"),
    path(
        "admin/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/welcome/<uidb64>/<token>/", accounts.InvitationView.as_view(), name="invitation"),
    path("admin/", admin.site.urls),
    # The admin's language, chosen in its header: a cookie read for the admin only
    # (tracker.core.i18n); Django's set_language redirects only to the tracker's own addresses.
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(*public_pages, prefix_default_language=False)
