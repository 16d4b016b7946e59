# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""What every module's main() does around its own work, written once."""

from __future__ import annotations

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    retry_warning,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import settings_warnings
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._pacing import progress_to


def run_work(module, work, *args):
    """``work(*args)`` for an AnsibleModule: its value, or one failure line for a CloudflareError.

    Fails at once without ``requests``, warns of settings that weaken the connection, and warns once
    of the retries the work needed (its result, or the first item of the tuple it returns, holds
    them in ``api_retries``). While the work runs, its pacing within Cloudflare's rate limit goes to the
    module's log (syslog or the journal: a module cannot show output while it runs), and a task that
    waited for the rate limit says so in a warning, failed or not.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    for warning in settings_warnings(module.params):
        module.warn(warning)
    with progress_to(module.log) as pacing:
        try:
            outcome = work(*args)
        except CloudflareError as exc:
            _warn_of_pacing(module, pacing)
            module.fail_json(**exc.to_result())
    _warn_of_pacing(module, pacing)
    result = outcome[0] if isinstance(outcome, tuple) else outcome
    if result.get("api_retries"):
        module.warn(retry_warning(result["api_retries"]))
    return outcome


def _warn_of_pacing(module, pacing):
    if pacing.warning():
        module.warn(pacing.warning())
