# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""What every module's main() does around its own work, written once: the work contract.

A module's ``main()`` is one call, :func:`run_module`, with its work function, its argument spec and its own
option constraints. A work function is ``work(params, check_mode, want_diff)`` and returns a :class:`TaskResult`;
it raises a CloudflareError for a failure before anything was changed.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import (
    module_constraints,
    settings_warnings,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._pacing import progress_to
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._retries import retry_warning


class TaskResult:
    """What every work function returns: the one contract between a module's work and its ``main()``.

    ``result``: the module's result (``changed``, ``users``, ``api_retries`` ...), without ``diff``.
    ``failure``: None, or fail_json's keywords beside the result's when the task failed part-way
    (``_errors.partial_failure``): the task then fails with the result and these keywords.
    ``warnings``: the texts to warn of, in order. ``diff``: the ``--diff`` of the task, or None; it goes
    into the result, failed or not.
    """

    def __init__(self, result, failure=None, warnings=(), diff=None):
        self.result = result
        self.failure = failure
        self.warnings = list(warnings)
        self.diff = diff

    def keywords(self):
        """exit_json's (or, when failed, fail_json's) keywords."""
        keywords = dict(self.result)
        if self.diff is not None:
            keywords["diff"] = self.diff
        if self.failure:
            keywords.update(self.failure)
        return keywords


def diff_by_user(changes):
    """The ``--diff`` of a task that changes users: ``{before: {label: state}, after: {label: state}}`` for
    ``changes``, ``(label, before, after)`` of each user changed, in order."""
    changes = list(changes)
    return dict(before={label: before for label, before, _after in changes},
                after={label: after for label, _before, after in changes})


def run_module(work, argument_spec, mutually_exclusive=(), required_one_of=()):
    """The whole ``main()`` of a module: the AnsibleModule with the module's own option constraints, then
    ``work(params, check_mode, want_diff)`` (:func:`run_work`), its warnings, and exit_json or fail_json."""
    constraints = module_constraints(mutually_exclusive)
    constraints["required_one_of"] += list(required_one_of)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
    done = run_work(module, work)
    for warning in done.warnings:
        module.warn(warning)
    if done.failure:
        module.fail_json(**done.keywords())
    module.exit_json(**done.keywords())


def run_work(module, work):
    """``work(params, check_mode, want_diff)`` for an AnsibleModule: its TaskResult, or one failure line for a
    CloudflareError.

    Fails at once without ``requests``, warns of settings that weaken the connection, and warns once
    of the retries the work needed (its result holds them in ``api_retries``). While the work runs, its
    pacing within Cloudflare's rate limit goes to the module's log (syslog or the journal: a module cannot
    show output while it runs), and a task that waited for the rate limit says so in a warning, failed or not.
    """
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    for warning in settings_warnings(module.params):
        module.warn(warning)
    with progress_to(module.log) as pacing:
        try:
            done = work(module.params, module.check_mode, module._diff)
        except CloudflareError as exc:
            _warn_of_pacing(module, pacing)
            module.fail_json(**exc.to_result())
    _warn_of_pacing(module, pacing)
    if done.result.get("api_retries"):
        module.warn(retry_warning(done.result["api_retries"]))
    return done


def _warn_of_pacing(module, pacing):
    if pacing.warning():
        module.warn(pacing.warning())
