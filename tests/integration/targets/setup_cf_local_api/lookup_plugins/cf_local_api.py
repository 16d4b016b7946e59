# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A test-only lookup: one call to the local API's control endpoints (faults, requests, seats, devices), sent from
the controller.

The fault matrix sets up each of its rows with a few control calls. As ``ansible.builtin.uri`` tasks each costs a
module run (a new Python process, about 0.5 s of CPU); this costs a few milliseconds, and the full run sends about
five hundred of them on each release it tests. It is for the targets' scaffolding only: what a target tests is
still run as a task.

    "{{ lookup('cf_local_api', 'POST', cf_control_url ~ '/faults', body=row.fault) }}"

returns the HTTP status; anything but 2xx fails the task, naming the call.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

TIMEOUT = 30  # seconds: a control call answers at once; this only bounds a local API that hangs


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        if len(terms) != 2:
            raise AnsibleError("cf_local_api: give a method and a URL, not %r" % (terms,))
        method, url = terms
        data = None if kwargs.get("body") is None else json.dumps(kwargs["body"]).encode()
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 (the local API)
                return [answer.status]
        except (urllib.error.URLError, OSError) as exc:
            raise AnsibleError("cf_local_api: %s %s failed: %s" % (method, url, exc)) from exc
