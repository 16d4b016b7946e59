# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""The options every module and the lookup share, and the validation of everything sent to the API.

Every check here runs before the first request: a value that fails one never reaches the network. Every
validator of one value is ``require_<what>(option, value)``: it returns the value as the module uses it
(normalized) and raises CloudflareInputError naming ``option``. A rule over several options takes the params
and says so in its name (``require_token_auth_in(params, what)``, ``auth_headers(params)``).
"""

from __future__ import annotations

import math
import os
import re
from urllib.parse import urlsplit

from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._client import (
    DEFAULT_API_URL,
    CloudflareClient,
    is_loopback_host,
)
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import CloudflareInputError, short_repr
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._pacing import DEFAULT_PACING_TIMEOUT

# The most requests one task sends. Cloudflare's rate limit (1,200 per 5 minutes) is kept by pacing (_pacing.py),
# so the budget is a bound on the work a task may do, not a share of a window: the default keeps every task that
# does not raise it within one window, with no wait.
DEFAULT_REQUEST_BUDGET = 500
MAX_REQUEST_BUDGET = 100000  # about 7 hours of pacing: more is a typo

CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")  # as requests reads them, in that order


# Where an option not given is read from: environment variables, the first one set and not empty wins.
# One chain for every plugin: the modules' argspec fallback and the lookup's resolution both use it.
ENVIRONMENT_VARIABLES = dict(
    api_token=("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_TOKEN"),  # CLOUDFLARE_TOKEN: community.general.cloudflare_dns's
    api_email=("CLOUDFLARE_EMAIL",),
    api_key=("CLOUDFLARE_API_KEY",),
    account_id=("CLOUDFLARE_ACCOUNT_ID",),
    api_url=("CLOUDFLARE_BASE_URL",),
)
# The Ansible variable a controller plugin (the lookup) reads each option from: this prefix and its name.
VARIABLE_PREFIX = "cloudflare_"
ACTION_GROUP = "group/cloudflare_community.zero_trust.cloudflare"


def first_set_variable(names, environ=None):
    """The first of the environment variables ``names`` that is set and not empty, or None.

    An empty variable (``CLOUDFLARE_API_TOKEN=`` is common in CI) counts as unset, so the next one, or the
    option's default, applies.
    """
    environ = os.environ if environ is None else environ
    return next((name for name in names if environ.get(name)), None)


def from_environment(*names):
    """An argspec ``fallback``: the value of :func:`first_set_variable`; none raises AnsibleFallbackNotFound."""
    name = first_set_variable(names)
    if name is None:
        raise AnsibleFallbackNotFound
    return os.environ[name]


def _read_from_environment(option, **spec):
    return dict(spec, fallback=(from_environment, list(ENVIRONMENT_VARIABLES[option])))


# Options shared by every module of the collection; documented in doc_fragments/auth.py and connection.py.
# account_id and the credentials are not ``required`` here: module_defaults and the environment may give them,
# which linters do not see, so require_account_id() and auth_headers() check them in code, before any request.
COMMON_ARGSPEC = dict(
    api_token=_read_from_environment("api_token", type="str", no_log=True),
    api_email=_read_from_environment("api_email", type="str", aliases=["account_email"]),
    api_key=_read_from_environment("api_key", type="str", aliases=["account_api_key"], no_log=True),
    account_id=_read_from_environment("account_id", type="str"),
    api_url=_read_from_environment("api_url", type="str", default=DEFAULT_API_URL),
    timeout=dict(type="float", default=30),
    validate_certs=dict(type="bool", default=True),
    use_proxy=dict(type="bool", default=True),
    retries=dict(type="int", default=3),
    retry_timeout=dict(type="float", default=60),
    request_budget=dict(type="int", default=DEFAULT_REQUEST_BUDGET),
    pacing_timeout=dict(type="float", default=DEFAULT_PACING_TIMEOUT),
)


# What a plugin does with a value that names no user (doc fragment on_missing.py; the check: _access_users.py's
# apply_on_missing). The same words for every module that selects users and the lookup; each has its default.
ON_MISSING = ("error", "warn", "skip")


def on_missing_option(default):
    """The argspec entry of ``on_missing`` with a module's ``default`` (its doc fragment variant says the same)."""
    return dict(type="str", choices=list(ON_MISSING), default=default)


def module_constraints(mutually_exclusive=()):
    """Keyword arguments for AnsibleModule with a module's own ``mutually_exclusive`` pairs.

    The credentials' rules (exactly one auth method) are not among them: auth_headers() checks them
    after module_defaults and the environment have applied, and names the environment variable a
    conflicting value came from. A module adds its own ``required_one_of`` to the list returned.
    """
    return dict(mutually_exclusive=list(mutually_exclusive), required_together=[], required_one_of=[])


def where_to_set(options, variables=False):
    """How a user sets ``options`` (one, or a pair that goes together), for a message.

    ``api_token (or the environment variables CLOUDFLARE_API_TOKEN or CLOUDFLARE_TOKEN)``; ``variables``:
    the plugin also reads the Ansible variables ``cloudflare_<option>`` (the lookup does), and says so.
    """
    together = " with ".join
    plural = "s" if len(options) > 1 else ""
    sources = ["the variable%s %s" % (plural, together(VARIABLE_PREFIX + option for option in options))] if variables else []
    chains = [ENVIRONMENT_VARIABLES[option] for option in options]
    sources.append("the environment variable%s %s" % ("s" if plural or len(chains[0]) > 1 else "",
                                                      together(" or ".join(chain) for chain in chains)))
    return "%s (or %s)" % (together(options), ", or ".join(sources))


def environment_origin(option, value, environ=None):
    """`` (from the environment variable NAME)`` when ``value`` is what the environment gives ``option``, else ""."""
    environ = os.environ if environ is None else environ
    name = first_set_variable(ENVIRONMENT_VARIABLES.get(option, ()), environ)
    return " (from the environment variable %s)" % name if name and environ[name] == value else ""


ACCOUNT_ID_RE = re.compile(r"[0-9a-fA-F]{1,32}\Z")
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
# Visible ASCII only: anything else (CR/LF above all) could split or forge an HTTP header.
HEADER_SAFE_RE = re.compile(r"[\x21-\x7e]+\Z")
EMAIL_RE = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\Z")
MAX_RETRIES = 100
MAX_SECONDS = 86400  # a day: longer timeouts or waits are typos, and overflow the platform's clocks


def require_account_id(option, value, variables=False):
    """The account id (``option`` is account_id), checked; ``variables`` as for :func:`where_to_set`, for the
    message when it is not set.

    An empty or blank value is not set, as an empty token is: ``account_id: "{{ lookup('env', 'X') }}"`` of an
    unset variable gives one.
    """
    if value is None or isinstance(value, str) and not value.strip():
        every_module = "" if variables else "; module_defaults for %s sets it for every module" % ACTION_GROUP
        raise CloudflareInputError("%s is not set: set %s to the account's identifier (in the dashboard's "
                                   "URL)%s" % (option, where_to_set((option,), variables), every_module))
    if not isinstance(value, str) or not ACCOUNT_ID_RE.match(value):
        raise CloudflareInputError("%s must be a Cloudflare account identifier (up to 32 hexadecimal characters), got %s"
                                   % (option, short_repr(value)))
    return value


def require_uuid(option, value):
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise CloudflareInputError(
            "%s must be a UUID such as f174e90a-fafe-4643-bbbc-4a0ed4fc8415, got %s" % (option, short_repr(value)))
    return value.lower()


def require_email(option, value):
    if not isinstance(value, str) or not EMAIL_RE.match(value):
        raise CloudflareInputError("%s must be an email address such as jdoe@example.com, got %s" % (option, short_repr(value)))
    return value


# Cloudflare's schema: "The unique API identifier for the Zero Trust seat", a string of at most 36 characters.
SEAT_UID_RE = re.compile(r"[\x21-\x7e]{1,36}\Z")


def require_seat_uid(option, value):
    """A seat identifier as the schema allows it (1 to 36 visible ASCII characters), lower-cased for matching."""
    if not isinstance(value, str) or not SEAT_UID_RE.match(value):
        raise CloudflareInputError(
            "%s must be a Zero Trust seat identifier (the seat_uid field of a user, at most 36 characters), got %s"
            % (option, short_repr(value)))
    return value.lower()


# Cloudflare's schema (access_authenticator_id, for MFA authenticators and passkeys alike): "The unique identifier
# for the MFA device", a string such as "test-authenticator-id-123". Letters, digits, hyphens and underscores hold
# that example, UUIDs and base64url credential ids, and nothing that is a path of its own (".", "..", "/", "%"):
# the id is a segment of the DELETE's path.
AUTHENTICATOR_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,128}\Z")


def is_authenticator_id(value):
    """Whether ``value`` (given, or from an answer, such as a passkey's id) is an authenticator id that may be sent."""
    return isinstance(value, str) and AUTHENTICATOR_ID_RE.match(value) is not None


def require_authenticator_id(option, value):
    """An MFA authenticator id as the dashboard shows it (:func:`is_authenticator_id`), checked before any request."""
    if not is_authenticator_id(value):
        raise CloudflareInputError(
            "%s must be an MFA authenticator id as the dashboard shows it, such as test-authenticator-id-123 (1 to 128 "
            "letters, digits, hyphens and underscores), got %s" % (option, short_repr(value)))
    return value


MAX_BATCH_SIZE = 1000  # seat PATCH items in one request (cf_access_seat's batch_size)
MAX_SAMPLE = 100  # users shown per flag in the seat report (sample_size)
MAX_INACTIVE_DAYS = 36500  # a hundred years: anything longer is a typo, and would reach before year 1


def require_batch_size(option, value):
    if value is None or not 1 <= value <= MAX_BATCH_SIZE:
        raise CloudflareInputError("%s must be between 1 and %d, got %r" % (option, MAX_BATCH_SIZE, value))
    return value


def require_sample_size(option, value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SAMPLE:
        raise CloudflareInputError("%s must be a whole number from 0 to %d, got %r" % (option, MAX_SAMPLE, value))
    return value


def require_inactive_days(option, value):
    """A whole number of days from 1 to MAX_INACTIVE_DAYS; anything else fails before any request."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_INACTIVE_DAYS:
        raise CloudflareInputError(
            "%s must be a whole number of days from 1 to %d (100 years), got %s"
            % (option, MAX_INACTIVE_DAYS, short_repr(value)))
    return value


# Records of a run (_files.py writes them): ``reclaim_seats-20261207T191200Z.csv``, a name start of these characters.
RECORD_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
MAX_RECORD_NAME = 100


def require_directory(option, value):
    """The absolute directory ``value`` (relative to the working directory), checked before any request: a
    directory the module can write to, or one it can create."""
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise CloudflareInputError("%s must name a directory, got %r" % (option, value))
    directory = os.path.abspath(value)
    existing = directory
    while not os.path.exists(existing):
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing) or not os.access(existing, os.W_OK | os.X_OK):
        raise CloudflareInputError("%s: cannot write to %s (%s is %s)" % (
            option, directory, existing, "not a directory" if not os.path.isdir(existing) else "not writable"))
    return directory


def require_new_file(option, value):
    """The absolute path of a record to write, checked before any request: its directory as above, and no file
    there yet, since a record is never replaced."""
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise CloudflareInputError("%s must name a file, got %r" % (option, value))
    path = os.path.abspath(value)
    if os.path.isdir(path):
        raise CloudflareInputError("%s: %s is a directory; name a file in it" % (option, path))
    if os.path.lexists(path):
        raise CloudflareInputError("%s: %s exists, and the record of an earlier run is never replaced; name a new "
                                   "file, or set report_dir to keep one file per run" % (option, path))
    require_directory(option, os.path.dirname(path))
    return path


def require_record_name(option, value):
    """A file name's start for records (``reclaim_seats``): letters, digits, ``.``, ``_`` and ``-``."""
    if (not isinstance(value, str) or not value or len(value) > MAX_RECORD_NAME or value.startswith(".")
            or not RECORD_NAME_CHARS.issuperset(value)):
        raise CloudflareInputError("%s must be up to %d letters, digits, '.', '_' or '-', not starting with '.', got %r"
                                   % (option, MAX_RECORD_NAME, value))
    return value


TOKEN_ONLY = ("Cloudflare's device API (WARP registrations) takes an API token only, not api_email with api_key: "
              "set api_token")


def require_token_auth_in(params, what):
    """Refuse, before any request, email and global key authentication for ``what`` (a device API use): a rule
    over the credentials' options, so it takes the params."""
    if not params.get("api_token") and params.get("api_key"):
        raise CloudflareInputError("%s: %s" % (what, TOKEN_ONLY))


def auth_headers(params, variables=False):
    """Headers for the one configured auth method. Secrets never appear in the errors raised here.

    Exactly one method, checked here after module_defaults and the environment have applied: a value that
    conflicts is named with the environment variable it came from. ``variables`` as for :func:`where_to_set`.
    """
    token, email, key = params.get("api_token"), params.get("api_email"), params.get("api_key")
    if token and (email or key):
        given = [name + environment_origin(name, params[name])
                 for name in ("api_token", "api_email", "api_key") if params.get(name)]
        raise CloudflareInputError("use either api_token or api_email with api_key, not both; got %s and %s"
                                   % (", ".join(given[:-1]), given[-1]))
    if token:
        _require_header_safe("api_token", token)
        return {"Authorization": "Bearer %s" % token}
    if email and key:
        if not EMAIL_RE.match(email) or not HEADER_SAFE_RE.match(email):
            raise CloudflareInputError("api_email must be an email address without spaces or control characters")
        _require_header_safe("api_key", key)
        return {"X-Auth-Email": email, "X-Auth-Key": key}
    if email or key:
        given, needed = ("api_email", "api_key") if email else ("api_key", "api_email")
        raise CloudflareInputError("%s%s is set but %s is not: the global API key needs both; set %s" % (
            given, environment_origin(given, params[given]), needed, where_to_set((needed,), variables)))
    raise CloudflareInputError("no credentials: set %s, or %s" % (
        where_to_set(("api_token",), variables), where_to_set(("api_email", "api_key"), variables)))


def _require_header_safe(option, secret):
    if not HEADER_SAFE_RE.match(secret):
        raise CloudflareInputError(
            "%s contains spaces, control characters or non-ASCII characters; it cannot be sent in an HTTP header" % option)


def require_api_url(option, value):
    """The base URL, without a trailing slash. Plain http is allowed only to a loopback address."""
    url = value
    if isinstance(url, str) and re.search(r"//[^/?#]*@", url):
        raise CloudflareInputError("%s must not contain credentials; use api_token or api_email/api_key" % option)
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # pylint: disable=pointless-statement  # raises ValueError on a bad port
    except ValueError:
        hostname = None
    if not hostname or parts.scheme not in ("https", "http") or parts.query or parts.fragment:
        raise CloudflareInputError("%s must be an http(s) URL such as %s, got %s" % (option, DEFAULT_API_URL, short_repr(url)))
    if parts.scheme == "http" and not is_loopback_host(hostname):
        raise CloudflareInputError("%s uses plain http to %s: credentials are only sent over https, except to a "
                                   "loopback address" % (option, hostname))
    return url.rstrip("/")


def _require_seconds(option, value, allow_zero):
    """A finite number of seconds up to MAX_SECONDS; above 0, or from 0 with ``allow_zero``."""
    if value is None or not math.isfinite(value) or not 0 <= value <= MAX_SECONDS or (value == 0 and not allow_zero):
        raise CloudflareInputError("%s must be a number of seconds %s and at most %d, got %s" % (
            option, "from 0" if allow_zero else "above 0", MAX_SECONDS, short_repr(value)))
    return value


def settings_warnings(params):
    """Warnings about settings that work but weaken the connection, for every module to show."""
    if params.get("validate_certs", True) is False:
        return ["validate_certs is false: the API's TLS certificate is not checked, so the credentials could reach "
                "an impostor; use it only for a test endpoint you control"]
    return []


def tls_verification(validate_certs=True, environ=None):
    """What the client checks the API's certificate with: False, True (the bundled CAs) or a CA bundle path.

    ``validate_certs`` is a boolean: the argspec refuses anything else (a CA bundle path, a typo) for modules
    and the lookup alike. As with requests' own defaults, REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE name the CA
    bundle when set and not empty. A path that does not exist fails here, before any request, naming where
    it came from.
    """
    if validate_certs is False:
        return False
    source = first_set_variable(CA_BUNDLE_VARIABLES, environ)
    if source is None:
        return True
    path = (os.environ if environ is None else environ)[source]
    if not os.path.exists(path):
        raise CloudflareInputError("%s names the CA bundle %s, which does not exist; point it at a PEM file or a "
                                   "directory of CA certificates, or unset it" % (source, short_repr(path)))
    return path


def client_from_params(params, session=None, variables=False):
    """A client for the validated params; raises CloudflareInputError on bad settings, before any request.

    ``variables`` as for :func:`where_to_set`: the lookup's messages name its Ansible variables too.
    """
    timeout = _require_seconds("timeout", params.get("timeout"), allow_zero=False)
    retry_timeout = _require_seconds("retry_timeout", params.get("retry_timeout", 0), allow_zero=True)
    retries = params.get("retries", 0)
    if retries is None or not 0 <= retries <= MAX_RETRIES:
        raise CloudflareInputError("retries must be between 0 and %d, got %s" % (MAX_RETRIES, short_repr(retries)))
    budget = params.get("request_budget", DEFAULT_REQUEST_BUDGET)
    if budget is None or not 1 <= budget <= MAX_REQUEST_BUDGET:
        raise CloudflareInputError("request_budget must be between 1 and %d, got %s" % (MAX_REQUEST_BUDGET, short_repr(budget)))
    pacing_timeout = _require_seconds("pacing_timeout", params.get("pacing_timeout", DEFAULT_PACING_TIMEOUT),
                                      allow_zero=True)
    return CloudflareClient(
        base_url=require_api_url("api_url", params["api_url"]),
        headers=auth_headers(params, variables),
        timeout=timeout,
        validate_certs=tls_verification(params.get("validate_certs", True)),
        use_proxy=params.get("use_proxy", True),
        retries=retries,
        retry_timeout=retry_timeout,
        request_budget=budget,
        pacing_timeout=pacing_timeout,
        session=session,
    )
