# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""A lookup's options, found by Ansible's plugin API and checked by the modules' argspec.

The lookup calls ``set_options(var_options=..., direct=...)`` and ``get_option(...)``, and its options, their
``vars:`` and ``env:`` come from its documentation (the doc fragments' ``PLUGINS`` variants). The options the
modules share (``_options.COMMON_ARGSPEC``) are then resolved as ``AnsibleModule`` resolves them: what the call
gives (a keyword, else the variable), as given, goes through the same argspec with the same validator, whose
``fallback`` reads the environment (the first variable set and not empty wins) and whose ``type`` checks the value.
So a non-boolean ``validate_certs`` is refused as the modules refuse it, where Ansible's own conversion would turn
it into false, and an empty environment variable counts as unset. Every key of ``COMMON_ARGSPEC`` is read, so an
option added there reaches the lookup without an edit here.
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareInputError
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._options import COMMON_ARGSPEC, module_constraints

try:  # ansible-core 2.19+: templating ``omit`` raises; older releases return its placeholder string
    from ansible.errors import AnsibleValueOmittedError
    OMITTED = (AnsibleValueOmittedError,)
except ImportError:
    OMITTED = ()


def option_variables(lookup, variables):
    """The Ansible variables that ``lookup``'s options read (their ``vars:``), templated; an ``omit`` one left out."""
    names = {variable["name"] for definition in lookup.option_definitions.values() for variable in definition.get("vars", [])}
    given = {name: value for name, value in (variables or {}).items() if name in names}
    if not given:
        return {}
    templar = lookup_templar(lookup, variables)
    templated = {}
    for name, value in given.items():
        try:
            value = templar.template(value)
        except OMITTED:  # ``omit``: as if the variable were not set
            continue
        if "omit" not in variables or value != variables["omit"]:
            templated[name] = value
    return templated


def lookup_templar(lookup, variables):
    """The lookup's templar, over ``variables``: the one Ansible internal the lookup uses, and why.

    Every release from 2.16 to 2.21 hands ``run()`` its variables untemplated (2.16-2.18: ``Templar._lookup`` passes
    its own ``_available_variables``; 2.19+: ``_invoke_lookup`` passes ``templar.available_variables``, the same raw
    dict, data tagging only marking which strings are trusted templates), and ``set_options`` does not template them
    either, so ``cloudflare_api_token: "{{ vault_token }}"`` would arrive as that text. No public API templates a
    value from a lookup: ``self._templar``, which LookupBase sets, is what ansible-core's own ``vars`` and
    ``template`` lookups use, on every release. The copy over ``variables`` is that templar itself when Ansible
    calls the lookup (the variables are its own), and gives the variables to a lookup called directly.
    """
    return lookup._templar.copy_with_new_env(available_variables=variables)


def checked_options(lookup, direct, variables):
    """The params dict of ``COMMON_ARGSPEC`` for a call with keywords ``direct`` and (templated) ``variables``.

    A keyword wins over a variable, a variable over the environment, the environment over the default.
    Raises CloudflareInputError, with the modules' message, for a value of the wrong type.
    """
    validator = ArgumentSpecValidator(COMMON_ARGSPEC, **module_constraints())
    result = validator.validate(given_options(lookup, direct, variables))
    if result.error_messages:
        raise CloudflareInputError(result.errors.msg)
    return result.validated_parameters


def given_options(lookup, direct, variables):
    """The options of ``COMMON_ARGSPEC`` the call gives, as given: keywords (names or aliases), then variables."""
    given = {}
    for name, spec in COMMON_ARGSPEC.items():
        keywords = [key for key in [name] + list(spec.get("aliases", [])) if direct.get(key) is not None]
        if keywords:
            given.update((key, direct[key]) for key in keywords)  # the argspec resolves aliases, as for a task
            continue
        for variable in lookup.option_definitions.get(name, {}).get("vars", []):  # the last one set wins, as in Ansible
            if variable["name"] in variables:
                given[name] = variables[variable["name"]]
    return given
