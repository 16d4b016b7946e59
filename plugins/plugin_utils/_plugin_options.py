# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The adapter between a controller plugin's options and the params the modules' code takes.

A lookup gets its options from Ansible's configuration system (keywords, variables, environment,
defaults: see doc_fragments/auth.py, ``PLUGINS``); a module gets them from ``AnsibleModule``. Both end
in the same params dict, checked by the same rules (``_options.module_constraints``) and handed to the
same ``_options.client_from_params``. Every key of ``_options.COMMON_ARGSPEC`` is read, so an option
added there reaches the plugins without an edit here.
"""

from __future__ import annotations

from ansible import constants as C
from ansible.module_utils.common.validation import (
    check_mutually_exclusive,
    check_required_arguments,
    check_required_one_of,
    check_required_together,
)

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareInputError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import COMMON_ARGSPEC, module_constraints

try:  # ansible-core 2.19+: templating ``omit`` raises; older releases return its placeholder string
    from ansible.errors import AnsibleValueOmittedError
    OMITTED = (AnsibleValueOmittedError,)
except ImportError:
    OMITTED = ()


def option_variables(plugin, variables):
    """The Ansible variables that ``plugin``'s options read (``vars:`` sources), templated.

    Ansible hands a lookup its variables untemplated, so ``cloudflare_api_token: "{{ vault_token }}"``
    would arrive as that text; connection plugins get theirs templated the same way by the task executor.
    """
    names = C.config.get_plugin_vars(plugin.plugin_type, plugin._load_name)
    templar = plugin._templar.copy_with_new_env(available_variables=variables) if variables else plugin._templar
    templated = {}
    for name in names:
        if name not in (variables or {}):
            continue
        try:
            value = templar.template(variables[name])
        except OMITTED:  # ``omit``: as if the variable were not set
            continue
        if "omit" not in variables or value != variables["omit"]:
            templated[name] = value
    return templated


def params_from_plugin(plugin):
    """The params dict of ``COMMON_ARGSPEC`` from ``plugin`` (after its ``set_options``).

    An environment variable set to an empty string counts as unset, as if it were not there. Raises
    CloudflareInputError, naming options but never their values, when the options break the
    modules' rules (one auth method, ``account_id`` required).
    """
    params = {}
    for name, spec in COMMON_ARGSPEC.items():
        params[name] = _option(plugin, name, spec.get("default"))
    _check_constraints(params)
    return params


def _option(plugin, name, default):
    try:
        value = plugin.get_option(name)
    except KeyError:  # an option of COMMON_ARGSPEC the plugin's documentation does not (yet) declare
        return default
    if value == "" and _origin(plugin, name).startswith("env:"):
        return default
    return value


def _origin(plugin, name):
    """Where the option's value came from (``env: NAME``, ``var: name``, ...), or "" when Ansible cannot say."""
    try:
        return str(plugin.get_option_and_origin(name)[1])
    except KeyError:  # before ansible-core 2.19 the origin is computed afresh, and a required option may lack one
        return ""


def _check_constraints(params):
    """The checks AnsibleModule makes with ``module_constraints()``, with the same messages."""
    given = {name: value for name, value in params.items() if value is not None}
    constraints = module_constraints()
    try:
        check_required_arguments(COMMON_ARGSPEC, given)
        check_mutually_exclusive(constraints["mutually_exclusive"], given)
        check_required_together(constraints["required_together"], given)
        check_required_one_of(constraints["required_one_of"], given)
    except TypeError as exc:
        raise CloudflareInputError("%s (from keywords, variables or the environment)" % exc) from None
