# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""One option resolution for the lookup and the modules: the modules' argspec, applied to what the call gives.

A module's options are resolved by ``AnsibleModule`` from ``_options.COMMON_ARGSPEC``: the task's
arguments (with module_defaults), then the environment (the argspec's ``fallback``), then the default,
each checked by its ``type``. A lookup gets the same: the options its call gives as keywords or as
Ansible variables (``cloudflare_<option>``, declared in the doc fragments' ``PLUGINS`` variants), raw,
go through the same argspec with the same validator. So the environment variables are read by the
same chain (the first set and not empty wins) and a non-boolean ``validate_certs`` is refused as the
modules refuse it, instead of Ansible's own configuration turning it into false. Every key of
``COMMON_ARGSPEC`` is read, so an option added there reaches the lookup without an edit here.
"""

from __future__ import annotations

from ansible import constants as C
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

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


def params_from_plugin(plugin, direct, templated):
    """The params dict of ``COMMON_ARGSPEC`` for a call with keywords ``direct`` and ``templated`` variables.

    A keyword wins over a variable, a variable over the environment, the environment over the default.
    Raises CloudflareInputError, with the modules' message, for a value of the wrong type.
    """
    validator = ArgumentSpecValidator(COMMON_ARGSPEC, **module_constraints())
    result = validator.validate(given_options(plugin, direct, templated))
    if result.error_messages:
        raise CloudflareInputError(result.errors.msg)
    return result.validated_parameters


def given_options(plugin, direct, templated):
    """The options of ``COMMON_ARGSPEC`` the call gives, as given: keywords (names or aliases), then variables."""
    definitions = C.config.get_configuration_definitions(plugin.plugin_type, plugin._load_name)
    given = {}
    for name, spec in COMMON_ARGSPEC.items():
        keywords = [key for key in [name] + list(spec.get("aliases", [])) if direct.get(key) is not None]
        if keywords:
            given.update((key, direct[key]) for key in keywords)  # the argspec resolves aliases, as for a task
            continue
        for variable in definitions.get(name, {}).get("vars", []):  # the last one set wins, as Ansible has it
            if variable["name"] in templated:
                given[name] = templated[variable["name"]]
    return given
