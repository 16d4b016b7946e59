# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Pagination of Cloudflare's list endpoints, driven by the API's own ``result_info``."""

from __future__ import annotations

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import request_label
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareAPIError

MAX_PER_PAGE = 1000  # the list endpoints' default and maximum page size
MAX_PAGES = 10000  # a safety stop far beyond any real account (10 million objects)


def iter_pages(client, path, query=None, per_page=MAX_PER_PAGE, permission=None):
    """Yield ``(items, result_info)`` for pages 1, 2, ... of a list endpoint, each page exactly once.

    Stops after the last page ``result_info`` announces, on an empty page, or on a page shorter
    than the server's page size (which may be smaller than ``per_page``). A server that answers
    another page than the one asked for, or repeats objects already seen, is an error, not a loop.
    """
    seen_ids = set()
    for page in range(1, MAX_PAGES + 1):
        page_query = dict(query or {}, page=page, per_page=per_page)
        envelope = client.request("GET", path, query=page_query, expect=list, permission=permission)
        items, info = envelope["result"], envelope.get("result_info") or {}
        shown = request_label(path, page_query)
        if info.get("page") not in (None, page):
            raise CloudflareAPIError("GET", shown, "asked for page %d, the API answered page %s"
                                     % (page, info.get("page")), status=200)
        ids = [item.get("id") for item in items if isinstance(item, dict) and item.get("id") is not None]
        if seen_ids.intersection(ids):
            raise CloudflareAPIError("GET", shown, "page %d repeats objects of an earlier page" % page,
                                     status=200)
        seen_ids.update(ids)
        yield items, info
        page_size = _whole_number(info.get("per_page")) or per_page
        last_page = announced_pages(info, filtered=bool(query))
        if len(items) < page_size or (last_page is not None and page >= last_page):
            return
    raise CloudflareAPIError("GET", path, "more than %d pages; stopped" % MAX_PAGES)


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
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != int(value):
        return None
    return int(value)
