from django.conf import settings
from django.contrib import admin
from django.urls import path

from tracker import views

admin.site.site_header = "ASEAN IPR Action Plan Tracker"
admin.site.site_title = "IPR Action Plan Tracker admin"
admin.site.index_title = "Plan data and progress reporting"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
