"""The log's pages. Public: the list, a post, the feeds, the sitemap and robots.txt
(each marked ``login_not_required``). Private: the writer's and the office's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from redthread.core.forms import concurrent_edit, posted_id

from . import selectors, services
from .forms import (
    AuthorForm,
    InquiryFilterForm,
    PageForm,
    PostForm,
    PostImageForm,
    StatusFilterForm,
)
from .models import Author, Inquiry, Page, PageSlug, Post, PostImage, PostStatus

PER_PAGE = 10


def _tag_filter(request: HttpRequest) -> dict[str, str]:
    return {
        key: str(request.GET.get(key, ""))[:120]
        for key in ("initiative", "module", "theme")
        if request.GET.get(key)
    }


@login_not_required
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    tags = _tag_filter(request)
    posts = selectors.post_public_list(**tags)
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))
    tag_label = ""
    if tags:
        tag_label = selectors.tag_label(**tags)
    return render(
        request,
        "journal/post_list.html",
        {
            "listing": {"page": page},
            "posts": page.object_list,
            "tags": tags,
            "tag_label": tag_label,
        },
    )


@login_not_required
@require_GET
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        post = selectors.post_get(user=request.user, slug=slug)
    except Post.DoesNotExist as exc:
        raise Http404 from exc
    prefetch_related_objects([post], "images")
    return render(
        request,
        "journal/post_detail.html",
        {
            "post": post,
            "related": selectors.post_related(post=post) if post.is_live else [],
            "canonical": request.build_absolute_uri(post.get_absolute_url()),
            "can_change": request.user.has_perm("journal.change_post", post),
        },
    )


@login_not_required
@require_GET
def author_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A byline photo: public once the author has a live post."""
    author = get_object_or_404(Author, pk=pk)
    if not author.photo or not Post.objects.live().filter(author=author).exists():
        raise Http404
    return FileResponse(author.photo.open("rb"))


@login_not_required
@require_GET
def post_image(request: HttpRequest, pk: int) -> FileResponse:
    """A post's picture: public once the post is live; before that, to whoever may see the
    post in the editor's pages."""
    image = get_object_or_404(PostImage.objects.select_related("post"), pk=pk)
    live = Post.objects.live().filter(pk=image.post_id).exists()
    if not live and not (
        request.user.is_authenticated
        and selectors.post_writer_list(user=request.user).filter(pk=image.post_id).exists()
    ):
        raise Http404
    return FileResponse(image.image.open("rb"))


@login_not_required
@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("journal:sitemap"))
    lines = [
        "User-agent: *",
        # The private pages answer with the login page; nothing there is for a crawler.
        "Disallow: /admin/",
        "Disallow: /oversikt/",
        "Disallow: /redaktion/",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# --- the writers' and the office's pages ---------------------------------------------


@permission_required("journal.write", raise_exception=True)
def my_posts(request: HttpRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    posts = selectors.post_writer_list(user=request.user, status=status)
    page = Paginator(posts, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "journal/my_posts.html",
        {"filter_form": form, "listing": {"page": page}, "posts": page.object_list},
    )


@permission_required("journal.review", raise_exception=True)
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "journal/review_queue.html",
        {"posts": selectors.post_review_queue(user=request.user)},
    )


def _tags(form: PostForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "slug": data["slug"],
        "lead": data["lead"],
        "body": data["body"],
        "initiatives": data["initiatives"],
        "modules": data["modules"],
        "publish_at": data["publish_at"],
    }


def _save(request: HttpRequest, form: PostForm, post: Post | None) -> Post | None:
    try:
        themes = services.themes_from_text(form.cleaned_data["themes_text"])
        if post is None:
            return services.post_create(actor=request.user, themes=themes, **_tags(form))  # type: ignore[arg-type]  # signed in: permission_required
        return services.post_update(post=post, actor=request.user, themes=themes, **_tags(form))  # type: ignore[arg-type]  # signed in: permission_required
    except ValidationError as error:
        form.add_error(None, error)
        return None


@permission_required("journal.write", raise_exception=True)
@concurrent_edit
def post_create(request: HttpRequest) -> HttpResponse:
    form = PostForm(request.POST or None)
    preview = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and form.is_valid() and not preview:
        post = _save(request, form, None)
        if post is not None:
            messages.success(request, _("Utkastet är sparat."))
            return redirect("journal:post_edit", pk=post.pk)
    return render(
        request,
        "journal/post_form.html",
        {"form": form, "post": None, "preview": _preview(form, preview)},
    )


@permission_required("journal.write", raise_exception=True)
@concurrent_edit
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _writer_post(request, pk)
    if not request.user.has_perm("journal.change_post", post):
        return render(
            request, "journal/post_locked.html", {"post": post, **_actions(request, post)}
        )
    form = PostForm(request.POST or None, instance=post)
    preview = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and form.is_valid() and not preview:
        saved = _save(request, form, post)
        if saved is not None:
            messages.success(request, _("Inlägget är sparat."))
            return redirect("journal:post_edit", pk=post.pk)
    return render(
        request,
        "journal/post_form.html",
        {
            "form": form,
            "post": post,
            "preview": _preview(form, preview),
            "revisions": post.history.select_related("history_user").order_by(
                "-history_date", "-history_id"
            )[:10],
            "images": list(post.images.all()),
            "image_form": PostImageForm(prefix="image"),
            "can_edit_images": True,
            **_actions(request, post),
        },
    )


def _preview(form: PostForm, wanted: bool) -> dict[str, Any] | None:
    """What the post will look like: the body through the same sanitising filter the
    public page uses. Shown even when a field is missing, so the writer sees the text."""
    if not wanted:
        return None
    return {
        "title": form.data.get("title", ""),
        "lead": form.data.get("lead", ""),
        "body": form.data.get("body", ""),
    }


def _actions(request: HttpRequest, post: Post) -> dict[str, bool]:
    user = request.user
    return {
        "can_submit": post.status in (PostStatus.DRAFT, PostStatus.UNPUBLISHED)
        and user.has_perm("journal.submit_post", post),
        "can_publish": post.status in (PostStatus.DRAFT, PostStatus.REVIEW, PostStatus.UNPUBLISHED)
        and user.has_perm("journal.publish_post", post),
        "can_return": post.status == PostStatus.REVIEW
        and user.has_perm("journal.publish_post", post),
        "can_unpublish": post.status == PostStatus.PUBLISHED
        and user.has_perm("journal.unpublish_post", post),
    }


def _writer_post(request: HttpRequest, pk: int) -> Post:
    """A post the user may see in the editor's pages; 404 for any other."""
    try:
        return selectors.post_writer_list(user=request.user).get(pk=posted_id(pk))
    except Post.DoesNotExist as exc:
        raise Http404 from exc


#: The status actions: the service, its permission, and the message on success.
ACTIONS: dict[str, tuple[Any, str, str]] = {
    "submit": (
        services.post_submit,
        "journal.submit_post",
        gettext_noop("Inlägget är skickat för granskning."),
    ),
    "publish": (
        services.post_publish,
        "journal.publish_post",
        gettext_noop("Inlägget är publicerat."),
    ),
    "return": (
        services.post_return,
        "journal.publish_post",
        gettext_noop("Inlägget är skickat tillbaka som utkast."),
    ),
    "unpublish": (
        services.post_unpublish,
        "journal.unpublish_post",
        gettext_noop("Inlägget är avpublicerat."),
    ),
}


@permission_required("journal.write", raise_exception=True)
def post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A status change. GET shows what will happen and asks to confirm (unpublishing and
    publishing are not slips to make by a stray click); POST does it."""
    if action not in ACTIONS:
        raise Http404
    post = _writer_post(request, pk)
    service, permission, done = ACTIONS[action]
    if not request.user.has_perm(permission, post):
        raise PermissionDenied
    if request.method == "POST":
        try:
            service(post=post, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _(done))
            if action in ("publish", "return", "unpublish") and request.user.has_perm(
                "journal.review"
            ):
                return redirect("journal:review_queue")
        return redirect("journal:post_edit", pk=post.pk)
    return render(request, "journal/post_confirm.html", {"post": post, "action": action})


@permission_required("journal.write", raise_exception=True)
@concurrent_edit
def byline_edit(request: HttpRequest) -> HttpResponse:
    """The writer's own byline: the name and title under its posts, and a photo."""
    author = selectors.author_of(user=request.user)  # type: ignore[arg-type]  # signed in: permission_required
    form = AuthorForm(request.POST or None, request.FILES or None, instance=author)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.author_update(
            author=author,
            actor=request.user,  # type: ignore[arg-type]  # signed in: permission_required
            name=data["name"],
            title=data["title"],
            photo=data["photo"],
            photo_alt=data["photo_alt"],
        )
        messages.success(request, _("Bylinen är sparad."))
        return redirect("journal:my_posts")
    return render(request, "journal/byline_form.html", {"form": form, "author": author})


# --- the site's editable pages --------------------------------------------------------


@permission_required("journal.edit_pages", raise_exception=True)
def page_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "journal/page_list.html",
        {"pages": selectors.page_writer_list(user=request.user)},
    )


def _writer_page(request: HttpRequest, slug: str) -> Page:
    try:
        return selectors.page_for_writer(user=request.user, slug=slug)
    except Page.DoesNotExist as exc:
        raise Http404 from exc


@permission_required("journal.edit_pages", raise_exception=True)
@concurrent_edit
def page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The page's working copy: edit, preview (through the public page's sanitising
    filter), save; a save over someone else's newer one is refused (ConcurrentEditMixin).
    The office publishes from here."""
    page = _writer_page(request, slug)
    form = PageForm(request.POST or None, instance=page)
    preview = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and form.is_valid() and not preview:
        services.page_save(
            slug=page.slug,
            actor=request.user,  # type: ignore[arg-type]  # signed in: permission_required
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, _("Sidan är sparad."))
        return redirect("journal:page_edit", slug=page.slug)
    return render(
        request,
        "journal/page_form.html",
        {
            "form": form,
            "page": page,
            "public_url": reverse(PAGE_URLS[page.slug]),
            "preview": (
                {"title": form.data.get("title", ""), "body": form.data.get("body", "")}
                if preview
                else None
            ),
            "revisions": (
                page.history.select_related("history_user").order_by(
                    "-history_date", "-history_id"
                )[:10]
                if page.pk
                else []
            ),
            # a page not stored yet has nothing to publish
            "can_publish": bool(page.pk) and request.user.has_perm("journal.publish_page", page),
        },
    )


#: Where the public reads each page.
PAGE_URLS: dict[str, str] = {
    PageSlug.ABOUT: "journal:about",
    PageSlug.CONTACT: "journal:contact",
    PageSlug.ACCESSIBILITY: "journal:accessibility",
}


@permission_required("journal.publish_page", raise_exception=True)
def page_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Publishing or taking down a page: GET asks to confirm, POST does it."""
    if action not in ("publish", "unpublish"):
        raise Http404
    page = _writer_page(request, slug)
    if page.pk is None:
        raise Http404
    if request.method == "POST":
        if action == "publish":
            services.page_publish(page=page, actor=request.user)  # type: ignore[arg-type]  # signed in: permission_required
            messages.success(request, _("Sidan är publicerad."))
        else:
            services.page_unpublish(page=page, actor=request.user)  # type: ignore[arg-type]  # signed in: permission_required
            messages.success(request, _("Sidan är avpublicerad."))
        return redirect("journal:page_edit", slug=page.slug)
    return render(request, "journal/page_confirm.html", {"page": page, "action": action})


# --- the inbox of what visitors sent ---------------------------------------------------

INBOX_PER_PAGE = 25


@permission_required("journal.view_inquiries", raise_exception=True)
def inquiry_list(request: HttpRequest) -> HttpResponse:
    partners = selectors.inquiry_partner_choices(user=request.user)
    form = InquiryFilterForm(request.GET or None, partners=partners)
    data = form.cleaned_data if form.is_valid() else {}
    handled = data.get("handled") or "no"
    inquiries = selectors.inquiry_list(
        user=request.user,
        handled="" if handled == "all" else handled,
        partner=data.get("partner"),
        kind=data.get("kind") or "",
        search=data.get("q") or "",
    )
    page = Paginator(inquiries, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    filtered = any(data.get(key) for key in ("kind", "q")) or data.get("partner") is not None
    return render(
        request,
        "journal/inquiry_list.html",
        {
            "filter_form": form,
            "listing": {"page": page},
            "inquiries": page.object_list,
            "handled": handled,
            "filtered": filtered or handled != "no",
        },
    )


def _inquiry_or_404(request: HttpRequest, pk: int) -> Inquiry:
    try:
        return selectors.inquiry_get(user=request.user, pk=posted_id(pk))
    except Inquiry.DoesNotExist as exc:
        raise Http404 from exc


@permission_required("journal.view_inquiries", raise_exception=True)
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _inquiry_or_404(request, pk)
    return render(
        request,
        "journal/inquiry_detail.html",
        {
            "inquiry": inquiry,
            "can_handle": request.user.has_perm("journal.handle_inquiry", inquiry),
        },
    )


@permission_required("journal.view_inquiries", raise_exception=True)
@require_POST
def inquiry_handle(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks an inquiry handled (``handled=0``: waiting again); back to the detail page."""
    inquiry = _inquiry_or_404(request, pk)
    handled = request.POST.get("handled", "1") != "0"
    services.inquiry_mark_handled(inquiry=inquiry, actor=request.user, handled=handled)  # type: ignore[arg-type]  # signed in: permission_required
    if handled:
        messages.success(request, _("Ärendet är markerat som hanterat."))
    else:
        messages.success(request, _("Ärendet är markerat som ej hanterat."))
    return redirect("journal:inquiry_detail", pk=inquiry.pk)


@permission_required("journal.write", raise_exception=True)
@require_POST
def post_image_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Adds a picture to a post; a refused file says why, on the post's page."""
    post = _writer_post(request, pk)
    if not request.user.has_perm("journal.change_post", post):
        raise PermissionDenied
    form = PostImageForm(request.POST, request.FILES, prefix="image")
    if form.is_valid():
        services.post_image_add(
            post=post,
            actor=request.user,  # type: ignore[arg-type]  # signed in: permission_required
            image=form.cleaned_data["image"],
            alt=form.cleaned_data["alt"],
            caption=form.cleaned_data["caption"],
        )
        messages.success(request, _("Bilden är tillagd."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("journal:post_edit", pk=post.pk)


@permission_required("journal.write", raise_exception=True)
def post_image_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST removes the picture."""
    image = get_object_or_404(
        PostImage.objects.filter(post__in=selectors.post_writer_list(user=request.user)), pk=pk
    )
    if not request.user.has_perm("journal.change_post", image.post):
        raise PermissionDenied
    if request.method == "POST":
        post_pk = image.post_id
        services.post_image_remove(
            image=image,
            actor=request.user,  # type: ignore[arg-type]  # signed in: permission_required
        )
        messages.success(request, _("Bilden är borttagen."))
        return redirect("journal:post_edit", pk=post_pk)
    return render(request, "journal/post_image_confirm.html", {"image": image})
