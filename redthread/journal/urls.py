from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import public_views, views
from .feeds import AtomPostFeed, PostFeed
from .sitemaps import SITEMAPS

app_name = "journal"
urlpatterns = [
    path("loggen/", views.post_list, name="post_list"),
    path("loggen/atom/", login_not_required(AtomPostFeed()), name="feed_atom"),
    path("loggen/rss/", login_not_required(PostFeed()), name="feed_rss"),
    path("loggen/skribent/<int:pk>/foto/", views.author_photo, name="author_photo"),
    path("loggen/bild/<int:pk>/", views.post_image, name="post_image"),
    path("loggen/<slug:slug>/", views.post_detail, name="post_detail"),
    path(
        "sitemap.xml",
        login_not_required(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("satsningar/", public_views.initiative_list, name="initiative_list"),
    path("satsningar/<slug:slug>/", public_views.initiative_detail, name="initiative_detail"),
    path("satsningar/<slug:slug>/ansok/", public_views.initiative_apply, name="initiative_apply"),
    path(
        "satsningar/<slug:slug>/ansok/tack/",
        public_views.initiative_applied,
        name="initiative_applied",
    ),
    path("kontakt/", public_views.contact, name="contact"),
    path("kontakt/tack/", public_views.contact_sent, name="contact_sent"),
    path("partner/<slug:slug>/kontakt/", public_views.partner_contact, name="partner_contact"),
    path("partner/", public_views.partners, name="partners"),
    path("intressenter-och-finansiarer/", public_views.stakeholders, name="stakeholders"),
    path("metoden/", public_views.methodology, name="methodology"),
    path("om/", public_views.about, name="about"),
    path("tillganglighet/", public_views.accessibility, name="accessibility"),
    path("redaktion/", views.my_posts, name="my_posts"),
    path("redaktion/granska/", views.review_queue, name="review_queue"),
    path("redaktion/sidor/", views.page_list, name="page_list"),
    path("redaktion/sidor/<slug:slug>/", views.page_edit, name="page_edit"),
    path("redaktion/sidor/<slug:slug>/<str:action>/", views.page_action, name="page_action"),
    path("inkommet/", views.inquiry_list, name="inquiry_list"),
    path("inkommet/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("inkommet/<int:pk>/hanterat/", views.inquiry_handle, name="inquiry_handle"),
    path("redaktion/byline/", views.byline_edit, name="byline_edit"),
    path("redaktion/nytt/", views.post_create, name="post_create"),
    path("redaktion/<int:pk>/", views.post_edit, name="post_edit"),
    path("redaktion/<int:pk>/bilder/ny/", views.post_image_add, name="post_image_add"),
    path("redaktion/bilder/<int:pk>/ta-bort/", views.post_image_remove, name="post_image_remove"),
    path("redaktion/<int:pk>/<str:action>/", views.post_action, name="post_action"),
]

#: What each page that changes records is called, for the audit trail's "Varifrån"
#: (``core.audit.origin_label``): a name, never the view's code.
page_labels = {
    "initiative_apply": _("Intresseanmälan till en satsning"),
    "contact": _("Kontaktformuläret"),
    "partner_contact": _("Kontakta en partner"),
    "byline_edit": _("Ändra en skribentpresentation"),
    "post_create": _("Nytt inlägg"),
    "post_edit": _("Ändra ett inlägg"),
    "post_action": _("Skicka, granska eller publicera ett inlägg"),
    "post_image_add": _("Lägg till en bild i ett inlägg"),
    "post_image_remove": _("Ta bort en bild ur ett inlägg"),
}
