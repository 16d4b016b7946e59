# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Pagination of Cloudflare's list endpoints, driven by the API's own ``result_info``.

One interface, :func:`read_listing`, over the two pagings the API has: page numbers (``PAGES``: most list endpoints)
and cursors (``CURSOR``: the device registrations and the audit logs). Each keeps its own checks; both yield
``(items, result_info)`` per page, in order, and fail rather than return a listing cut short.
"""

from __future__ import annotations

import json
import math

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import request_label
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError, json_type
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._threads import in_order_ahead

MAX_PER_PAGE = 1000  # the list endpoints' default and maximum page size
MAX_PAGES = 10000  # a safety stop far beyond any real account (10 million objects)
CURSOR_PER_PAGE = 100  # the device endpoints' default page size
PAGES, CURSOR = "pages", "cursor"  # the two pagings of read_listing()


def read_listing(client, path, query=None, paging=PAGES, per_page=None, permission=None, item_problem=None,
                 forbidden_hint=None, size_param="per_page", planned=None):
    """Yield ``(items, result_info)`` for each page of the list endpoint ``path``, in order, each page checked.

    ``paging`` is PAGES (page numbers: :func:`_numbered_pages`, ``per_page`` up to MAX_PER_PAGE, the default) or
    CURSOR (``result_info.cursor``: :func:`_cursor_pages`, ``per_page`` CURSOR_PER_PAGE by default). ``query`` is a
    dict, or for CURSOR also ``(name, value)`` pairs, so that a filter may repeat. ``permission`` and
    ``forbidden_hint`` are the client's (:meth:`CloudflareClient.request`); ``item_problem(item)`` says why an item
    cannot be used, or None. ``size_param`` (the page size's parameter) and ``planned`` (the most pages the
    caller's plan allows, and why) are cursor paging's own.
    """
    if paging == CURSOR:
        pairs = list(query.items()) if isinstance(query, dict) else list(query or ())
        return _cursor_pages(client, path, pairs, CURSOR_PER_PAGE if per_page is None else per_page, permission,
                             item_problem, forbidden_hint, size_param, planned)
    if paging != PAGES:
        raise ValueError("paging is PAGES or CURSOR, not %r" % (paging,))
    if size_param != "per_page" or planned is not None:
        raise ValueError("size_param and planned are options of CURSOR paging")
    return _numbered_pages(client, path, query, MAX_PER_PAGE if per_page is None else per_page, permission,
                           item_problem, forbidden_hint)


def _numbered_pages(client, path, query, per_page, permission, item_problem, forbidden_hint):
    """Page paging: yield ``(items, result_info)`` for pages 1, 2, ... of a list endpoint, in order, each page
    exactly once.

    Once page 1 announces how many pages there are, the rest of them are fetched a few at a time
    (``in_order_ahead``: at most MAX_PARALLEL_REQUESTS in flight, on the client's one session), after
    checking that they fit in the request budget; each is still checked and yielded in order. Where
    the API announces nothing, pages are read one by one.

    Reads on while the totals the API announces (``total_pages``; ``total_count`` for an unfiltered
    listing) say rows are missing, even after a short page; without totals, until a page shorter
    than the page size. An empty page ends the listing. A page that answers another page number,
    repeats an object or brings nothing new is an error, not a loop; and once the listing ends, its
    rows must agree with what the API announced (:func:`listing_problem`), or it fails rather than
    return a silently truncated listing.

    A page with an item ``item_problem`` refuses fails, naming the request.
    """
    filtered = bool(query)

    def fetch(page):
        page_query = dict(query or {}, page=page, per_page=per_page)
        shown = request_label(path, page_query)
        return shown, client.request("GET", path, query=page_query, expect=list, permission=permission,
                                     forbidden_hint=forbidden_hint)

    seen = set()
    rows, last_info, shown = 0, {}, path
    ahead = _no_pages()  # pages fetched ahead of their turn, in page order
    try:
        for page in range(1, MAX_PAGES + 1):
            shown, envelope = next(ahead, None) or fetch(page)
            items, info = envelope["result"], page_info(envelope, shown)
            if info.get("page") not in (None, page):
                raise CloudflareAPIError("GET", shown, "asked for page %d, the API answered page %s"
                                         % (page, info.get("page")), status=200)
            _check_page(items, seen, page, shown, item_problem)
            rows += len(items)
            last_info = info
            yield items, info
            if not more_pages(page, len(items), rows, info, per_page, filtered):
                break
            if page == 1:
                ahead = _fetched_ahead(client, fetch, announced_pages(info, filtered), path)
        else:
            raise CloudflareAPIError("GET", path, "more than %d pages; stopped" % MAX_PAGES)
    finally:
        ahead.close()  # a listing that ends early (or fails) cancels the pages not yet asked for
    problem = listing_problem(last_info, rows, page, filtered)
    if problem:
        raise CloudflareAPIError("GET", shown, "the listing is incomplete or inconsistent: %s" % problem, status=200)


def _fetched_ahead(client, fetch, last_page, path):
    """Pages 2 to ``last_page`` (as announced by page 1), fetched a few at a time; nothing for fewer than 3."""
    if last_page is None or last_page < 3:
        return _no_pages()
    pages = list(range(2, min(last_page, MAX_PAGES) + 1))
    client.reserve(len(pages), "reading the %d remaining pages of %s" % (len(pages), path))
    return in_order_ahead(fetch, pages)


def _no_pages():
    yield from ()


def page_info(envelope, shown):
    """The envelope's ``result_info`` (an object, or empty when absent); anything else is an error."""
    info = envelope.get("result_info")
    if info is None:
        return {}
    if not isinstance(info, dict):
        raise CloudflareAPIError("GET", shown, "result_info is %s, not an object" % json_type(info), status=200)
    return info


def more_pages(page, count, rows, info, per_page, filtered=False):
    """Whether to read page ``page + 1``, after page ``page`` brought ``count`` items (``rows`` in all)."""
    if count == 0:
        return False
    pages = _whole_number(info.get("total_pages"))
    total = None if filtered else _whole_number(info.get("total_count"))
    if pages is not None or total is not None:
        return (pages is not None and page < pages) or (total is not None and rows < total)
    return count >= (_whole_number(info.get("per_page")) or per_page)


def listing_problem(info, rows, pages_read, filtered=False):
    """What is wrong with a finished listing of ``rows`` rows in ``pages_read`` pages, or None.

    ``info`` is the ``result_info`` of its last page. A pure function of the totals, so it also
    checks a listing whose pages were fetched out of order.
    """
    pages = _whole_number(info.get("total_pages"))
    total = None if filtered else _whole_number(info.get("total_count"))
    size = _whole_number(info.get("per_page"))
    came = "%d rows came in %d %s" % (rows, pages_read, "page" if pages_read == 1 else "pages")
    if total is not None and rows != total:
        return "the API announced %d rows (total_count), %s" % (total, came)
    if pages is not None and rows and pages_read > max(pages, 1):
        return "the API announced %d pages (total_pages), %s" % (pages, came)
    if pages is not None and pages >= 2 and size and rows <= (pages - 1) * size:
        return "the API announced %d pages of %d rows (total_pages, per_page), %s" % (pages, size, came)
    return None


def _check_page(items, seen, page, shown, item_problem=None):
    """Refuse a page with unusable items, that names one object twice, or that repeats objects of earlier pages or
    brings nothing new."""
    for number, item in enumerate(items, 1):
        problem = item_problem(item) if item_problem else None
        if problem:
            raise CloudflareAPIError("GET", shown, "item %d of page %d: %s" % (number, page, problem), status=200)
    keys = [_identity(item) for item in items]
    first_of = {}
    for number, key in enumerate(keys, 1):
        if key[0] == "id" and key in first_of:
            raise CloudflareAPIError("GET", shown, "items %d and %d of page %d have the same id %s: the page names one "
                                     "object twice" % (first_of[key], number, page, key[1]), status=200)
        first_of.setdefault(key, number)
    if seen.intersection(key for key in keys if key[0] == "id") or (keys and seen.issuperset(keys)):
        raise CloudflareAPIError("GET", shown, "page %d repeats objects of an earlier page" % page, status=200)
    seen.update(keys)


def _identity(item):
    """What tells one listed object from another: its ``id``, or (without a usable one) its whole content."""
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return ("id", item["id"])
    return ("content", json.dumps(item, sort_keys=True))


def announced_pages(result_info, filtered=False):
    """The number of pages ``result_info`` announces, or None when it does not say.

    ``total_count`` counts the results "without any search parameters" (Cloudflare's schema), so it
    only tells the number of pages of an unfiltered listing.
    """
    pages = _whole_number(result_info.get("total_pages"))
    if pages is not None:
        return max(1, pages)
    count, size = _whole_number(result_info.get("total_count")), _whole_number(result_info.get("per_page"))
    if count is not None and size and not filtered:
        return max(1, (count + size - 1) // size)
    return None


def _whole_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 \
            or value != int(value):
        return None
    return int(value)


# --- Cursor paging (the device endpoints: result_info.cursor instead of page numbers) ---------------------------
def _cursor_pages(client, path, query, per_page, permission, item_problem, forbidden_hint, size_param, planned):
    """Cursor paging: yield ``(items, result_info)`` of each page, in order, following ``result_info.cursor``.

    ``query`` is a list of ``(name, value)`` pairs, so a filter may repeat (``user.id=A&user.id=B``).
    ``size_param`` names the page size's parameter: ``per_page``, or ``limit`` (the audit logs).
    The first page is asked without a cursor; each next page with the cursor the previous one
    answered, until the cursor is empty or a page is empty. Every answer is checked before its items
    are used: ``result_info`` must carry a cursor (Cloudflare's schema requires it), a cursor that
    comes back a second time is a loop, and a page with an item ``item_problem`` refuses, that names an
    object twice or with an object of an earlier page fails, naming the request.

    A listing that never ends (a new cursor and new items on every page) is stopped at the pages it may take:
    those its ``total_count`` announces, when a page announces one (the schema allows null and does not say
    whether it counts the filtered rows or all of them: either way no more rows can come), and at most
    ``planned`` (``(pages, why)``: what the caller's plan allows, and why) in any case.
    """
    seen, cursors, cursor = set(), set(), None
    for page in range(1, MAX_PAGES + 1):
        page_query = list(query) + [(size_param, per_page)] + ([("cursor", cursor)] if cursor else [])
        shown = request_label(path, page_query)
        envelope = client.request("GET", path, query=page_query, expect=list, permission=permission,
                                  forbidden_hint=forbidden_hint)
        items, info = envelope["result"], page_info(envelope, shown)
        cursor = _next_cursor(info, shown)
        count = _whole_number(info.get("count"))
        if count is not None and count != len(items):
            raise CloudflareAPIError("GET", shown, "result_info.count says %d rows, the page has %d" % (count, len(items)),
                                     status=200)
        _check_page(items, seen, page, shown, item_problem)
        yield items, info
        if not cursor or not items:
            return
        if cursor in cursors:
            raise CloudflareAPIError("GET", shown, "the API answered a cursor it had already answered: the listing "
                                     "would loop", status=200)
        cursors.add(cursor)
        bound, why = _cursor_page_bound(info, per_page, planned)
        if page >= bound:
            raise CloudflareAPIError("GET", shown, "the listing goes on after %d %s, %s: stopped" % (
                page, "page" if page == 1 else "pages", why), status=200)
    raise CloudflareAPIError("GET", path, "more than %d pages; stopped" % MAX_PAGES)


def _cursor_page_bound(info, per_page, planned):
    """``(pages, why)``: the most pages a cursor listing may take, after what its last ``result_info`` announces."""
    bounds = [(MAX_PAGES, "more than %d pages" % MAX_PAGES)]
    if planned is not None:
        bounds.append(planned)
    total, size = _whole_number(info.get("total_count")), _whole_number(info.get("per_page")) or per_page
    if total is not None:
        pages = max(1, int(math.ceil(total / float(size))))
        bounds.append((pages, "more than the API announced (total_count %d: %d %s of %d)" % (
            total, pages, "page" if pages == 1 else "pages", size)))
    return min(bounds, key=lambda bound: bound[0])


def _next_cursor(info, shown):
    cursor = info.get("cursor")
    if not isinstance(cursor, str):
        what = "no cursor" if cursor is None else "a cursor that is %s, not a string" % json_type(cursor)
        raise CloudflareAPIError("GET", shown, "result_info has %s: the listing cannot be followed to its end" % what,
                                 status=200)
    return cursor
