# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the cloudflare_community.zero_trust collection
# and may not remain stable to outside uses.

"""Access groups and reusable policies: where users' emails appear in their rules, and the plan that takes users
out of them (state absent) or puts them into groups (state present). Pure logic on objects as read: no HTTP.

Access names a person by an email rule, ``{"email": {"email": ADDRESS}}``, in the ``include``, ``require`` and
``exclude`` rules of a group or a reusable policy. Only email rules in ``include`` are edited: include rules are
alternatives, so taking one out only narrows access and adding one opens it to that person alone. Everything else
that names a user is reported in ``needs_attention`` and left as it is:

* an email rule in ``require`` (every require rule must match) or ``exclude`` (a deny): removing either widens
  access (a group that includes ``email_domain: example.com`` and requires ``email: leaver@`` would let the whole
  domain in);
* ``email_domain``, ``email_list``, identity-provider attributes (SAML, OIDC, Google Workspace group email), a
  certificate common name, a policy's approval groups: they are not email rules of one person;
* an object whose ``include`` would become empty (Cloudflare requires an include rule): never sent with
  ``include: []``;
* an object of a shape this file cannot send back unchanged: refused, never edited.

A PUT replaces the whole object and Cloudflare offers no ETag, so a change is read-modify-write: the object as
read, with only ``include`` changed, less the fields the PUT request schema does not have (:func:`put_body`).
Just before its PUT the object is read again and compared with the one the change was planned from
(:func:`changed_since_read`): someone else's edit in between is reported, never overwritten blindly.

Emails match in any letter case. Everything from the API is untrusted: each object is checked before anything
is read from it (:func:`read_problem`) or planned for it (:func:`write_problem`).
"""

from __future__ import annotations

import copy
import json
from collections import namedtuple

from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._devices import is_identifier
from ansible_collections.cloudflare_community.zero_trust.plugins.module_utils._errors import json_type, listed, one_line

SECTIONS = ("include", "require", "exclude")
DECISIONS = ("allow", "deny", "non_identity", "bypass")  # access_decision
# Both list endpoints take per_page up to 1000; groups default to 1000, reusable policies to 100 (so it is asked).
LIST_PER_PAGE = 1000
SHOWN_CHARS = 120  # of a value from the API quoted in a reason

# One kind of object: its paths under /accounts/{account_id}, the fields of its PUT request schema (``writable``,
# ``required`` among them), the fields only its answers have (``read_only``: never sent back) and the API token
# permissions of its reads and PUT (x-api-token-group). Cloudflare's schema marks no field readOnly: read_only is
# "in the response schema, not in the request schema". Any other field makes an object impossible to send back
# unchanged (a full replace without it could reset it), so it is refused, not dropped.
Kind = namedtuple("Kind", "name plural segments writable required read_only read_permission write_permission")

GROUP = Kind(
    name="group", plural="groups", segments=("access", "groups"),
    # PUT /accounts/{account_id}/access/groups/{group_id}: an inline schema
    writable=("name", "include", "exclude", "require", "is_default"),
    required=("name", "include"),
    read_only=("id", "created_at", "updated_at"),  # access_groups-2
    read_permission="Access: Organizations, Identity Providers, and Groups Read",
    write_permission="Access: Organizations, Identity Providers, and Groups Write",
)
POLICY = Kind(
    name="policy", plural="policies", segments=("access", "policies"),
    # PUT /accounts/{account_id}/access/policies/{policy_id}: access_policy_req (with access_base_policy_req)
    writable=("name", "decision", "include", "exclude", "require", "approval_groups", "approval_required",
              "connection_rules", "isolation_required", "mfa_config", "purpose_justification_prompt",
              "purpose_justification_required", "session_duration"),
    required=("name", "decision", "include"),
    read_only=("id", "created_at", "updated_at", "account_id", "app_count", "reusable"),  # access_reusable_policy_resp
    read_permission="Access: Apps and Policies Read",
    write_permission="Access: Apps and Policies Write",
)
KINDS = (GROUP, POLICY)


def _is_str(value):
    return isinstance(value, str)


def _is_bool(value):
    return isinstance(value, bool)


def _is_object(value):
    return isinstance(value, dict)


# What each field a PUT carries back must be, as read (the request schemas). null is "not set" and is left out of
# the body, but where the schema allows null (NULLABLE), where it is sent back as read. Rules and approval groups
# are checked whole by read_problem.
FIELD_CHECKS = {
    "name": (_is_str, "a string"),
    "decision": (lambda value: value in DECISIONS, "one of " + ", ".join(DECISIONS)),
    "is_default": (_is_bool, "a boolean"),  # access_is_default (the response schema's array type is an upstream bug)
    "approval_required": (_is_bool, "a boolean"),
    "isolation_required": (_is_bool, "a boolean"),
    "purpose_justification_required": (_is_bool, "a boolean"),
    "purpose_justification_prompt": (_is_str, "a string"),
    "session_duration": (_is_str, "a string"),
    "mfa_config": (_is_object, "an object"),
    "connection_rules": (_is_object, "an object"),
}
NULLABLE = ("session_duration",)  # access_session_duration-3

# The rule kinds (members of access_rule) whose text may be a person's email, and the field that holds it. Only
# "email" is a person's email rule; the others are reported when they name a user, never edited.
EMAIL_FIELDS = {
    "email": "email",
    "email_domain": "domain",
    "email_list": "id",  # a Zero Trust list: the addresses are in the list, read with list_members
    "saml": "attribute_value",
    "oidc": "claim_value",
    "gsuite": "email",  # a Google Workspace group's address
    "common_name": "common_name",  # a client certificate's common name
}
APPROVAL_GROUPS = "approval_groups"  # a policy's approvers: email_addresses, or an email list (email_list_uuid)

# needs_attention: why an object was left as it was (or partly so), one code each.
WHY = {
    "in_require": "a require rule names the user: every require rule must match, so removing it would widen "
                  "access; kept",
    "in_exclude": "an exclude rule names the user: it denies access, so removing it would widen access; kept",
    "excluded": "an exclude rule names the user: the include rule added grants nothing while it stays",
    "not_an_email_rule": "a %s rule names the user's email: it is not an email rule of one person, so it is not "
                         "edited",
    "approver": "the user approves access requests of this policy (approval_groups): not edited",
    "email_list_not_read": "an email list in include may hold the users' emails: its entries were not read",
    "include_would_be_empty": "removing the users' email rules would leave include empty, which Cloudflare does not "
                              "allow (every group and policy needs an include rule): left as it is for a person to "
                              "decide",
}

# A place in an object's rules that names asked users: section (include, require, exclude or approval_groups),
# the rule's kind, the text that matched, and the keys (lower-case emails) of the users it names.
Mention = namedtuple("Mention", "section rule value keys")


class Change(namedtuple("Change", "kind object removed added include emails")):
    """One object to PUT: ``object`` as read (what :func:`changed_since_read` compares against), the email rules
    ``removed`` from and ``added`` to its include, the new ``include``, and the ``emails`` (as asked) it concerns."""

    @property
    def body(self):
        return put_body(self.kind, self.object, self.include)

    def result(self):
        """What the module reports of it: ``{id, name, removed, added}``."""
        return dict(id=self.object["id"], name=self.object["name"], removed=list(self.removed), added=list(self.added))

    def label(self):
        return object_label(self.kind, self.object)


Plan = namedtuple("Plan", "changes needs_attention")


# --- paths and the request plan -------------------------------------------------------------------------------------
def path_segments(kind, account_id, object_id=None):
    """The segments of a listing's path (or of one object's) for ``api_path``."""
    return ("accounts", account_id) + kind.segments + ((object_id,) if object_id is not None else ())


def listing_pages(total_count, per_page=LIST_PER_PAGE):
    """The pages a listing of ``total_count`` objects takes: at least one (an empty listing still answers one)."""
    return max(1, -(-total_count // per_page))


class RequestPlan(namedtuple("RequestPlan", "listings rereads puts")):
    """The API requests of a task: the pages of the listings, a read again before each PUT, the PUTs."""

    @property
    def total(self):
        return self.listings + self.rereads + self.puts


def request_plan(group_count, policy_count, changes, policies=True):
    """The requests a task takes, whatever the number of users: each listing once (``policies``: reusable policies
    too), then for each object that changes one read again (the concurrency check) and one PUT. An unclear PUT
    outcome costs one more read, the engine's."""
    listings = listing_pages(group_count) + (listing_pages(policy_count) if policies else 0)
    return RequestPlan(listings=listings, rereads=len(changes), puts=len(changes))


# --- the shape of an object as read -------------------------------------------------------------------------------
def read_problem(kind, obj, account_id=None):
    """Why the rules of ``obj`` (a ``kind`` as an answer gave it) cannot be read, or None.

    An object is refused whole: an id that is not an identifier, an ``include`` that is not a list (the PUT
    requires one), ``require`` or ``exclude`` neither a list nor left out (null counts as left out), a rule that
    is not an object with one key (its kind) and an object value, an email-bearing rule without its text, an
    approval group of the wrong shape, a policy of another account or that is not reusable.
    """
    if not isinstance(obj, dict):
        return "a %s is %s, not an object" % (kind.name, json_type(obj))
    if not is_identifier(obj.get("id")):
        return "its id is %s, not an identifier" % _shown(obj.get("id"))
    if not isinstance(obj.get("include"), list):
        return "its include is %s, not a list of rules" % _shown(obj.get("include"))
    for section in SECTIONS[1:]:
        if obj.get(section) is not None and not isinstance(obj[section], list):
            return "its %s is %s, not a list of rules" % (section, _shown(obj[section]))
    for section in SECTIONS:
        for number, rule in enumerate(obj.get(section) or [], 1):
            problem = rule_problem(rule)
            if problem:
                return "rule %d of its %s: %s" % (number, section, problem)
    if kind is POLICY:
        return _policy_problem(obj, account_id)
    return None


def _policy_problem(policy, account_id):
    if "reusable" in policy and policy["reusable"] is not True:
        return "it is not a reusable policy (reusable is %s)" % _shown(policy["reusable"])
    if account_id is not None and "account_id" in policy and str(policy["account_id"]).lower() != account_id.lower():
        return "it belongs to another account (%s)" % _shown(policy["account_id"])
    groups = policy.get(APPROVAL_GROUPS)
    if groups is None:
        return None
    if not isinstance(groups, list):
        return "its approval_groups is %s, not a list" % _shown(groups)
    for number, group in enumerate(groups, 1):
        if not isinstance(group, dict):
            return "approval group %d is %s, not an object" % (number, json_type(group))
        addresses = group.get("email_addresses")
        if addresses is not None and not (isinstance(addresses, list) and all(isinstance(a, str) for a in addresses)):
            return "approval group %d: email_addresses is %s, not a list of strings" % (number, _shown(addresses))
        if group.get("email_list_uuid") is not None and not isinstance(group["email_list_uuid"], str):
            return "approval group %d: email_list_uuid is %s, not a string" % (number, _shown(group["email_list_uuid"]))
    return None


def rule_problem(rule):
    """Why ``rule`` is not an access rule this file can read (``{KIND: {...}}``, as every access_rule member is),
    or None."""
    if not isinstance(rule, dict) or len(rule) != 1:
        what = json_type(rule) if not isinstance(rule, dict) else "an object with %d keys" % len(rule)
        return "a rule is %s, not an object with one key (its kind)" % what
    kind, value = next(iter(rule.items()))
    if not isinstance(value, dict):
        return "the %s rule is %s, not an object" % (one_line(kind, 40), json_type(value))
    field = EMAIL_FIELDS.get(kind)
    if field is not None and not isinstance(value.get(field), str):
        return "the %s rule's %s is %s, not a string" % (kind, field, _shown(value.get(field)))
    return None


def write_problem(kind, obj):
    """Why ``obj`` (whose rules :func:`read_problem` accepted) cannot be sent back unchanged but for its include,
    or None: a required field missing, a field of the wrong type, or a field the PUT does not know."""
    for field in kind.required:
        if obj.get(field) is None:
            return "it has no %s, which its PUT requires" % field
    for field, (check, what) in FIELD_CHECKS.items():
        if field in kind.writable and obj.get(field) is not None and not check(obj[field]):
            return "its %s is %s, not %s" % (field, _shown(obj[field]), what)
    unknown = sorted(set(obj) - set(kind.writable) - set(kind.read_only))
    if unknown:
        return ("it has fields its PUT does not take (%s): a PUT replaces the whole object, so sending it without "
                "them could reset them" % listed(one_line(field, 40) for field in unknown))
    return None


def put_body(kind, obj, include):
    """The PUT body: every field of the request schema as read (null left out, unless the schema allows it), and
    ``include`` instead of the include as read. A deep copy: nothing of ``obj`` is shared."""
    body = {}
    for field in kind.writable:
        if field == "include":
            body[field] = copy.deepcopy(include)
        elif field in obj and (obj[field] is not None or field in NULLABLE):
            body[field] = copy.deepcopy(obj[field])
    return body


# --- who the rules name ---------------------------------------------------------------------------------------------
def wanted_emails(emails):
    """``{key: email}``: each address asked once (the first form given), keyed in lower case."""
    wanted = {}
    for email in emails:
        wanted.setdefault(email.lower(), email)
    return wanted


def email_domain(key):
    return key.rsplit("@", 1)[-1]


def mentions(kind, obj, wanted, list_members=None):
    """Every place in the rules of ``obj`` (read_problem accepted it) that names one of ``wanted``'s keys.

    ``list_members`` maps the id of a Zero Trust email list to the addresses it holds, for the lists that were
    read; a list not in it names nobody here (:func:`unread_lists` tells which were not read).
    """
    list_members = _lowered(list_members)
    by_domain = {}
    for key in wanted:
        by_domain.setdefault(email_domain(key), []).append(key)
    found = []
    for section in SECTIONS:
        for rule in obj.get(section) or []:
            kind_of_rule, value = next(iter(rule.items()))
            field = EMAIL_FIELDS.get(kind_of_rule)
            if field is None:
                continue
            text = value[field]
            keys = _keys_named(kind_of_rule, text, wanted, by_domain, list_members)
            if keys:
                found.append(Mention(section, kind_of_rule, text, keys))
    if kind is POLICY:
        found += _approvers(obj, wanted, list_members)
    return found


def _keys_named(rule, text, wanted, by_domain, list_members):
    if rule == "email_domain":
        return list(by_domain.get(text.lower().lstrip("@"), []))
    if rule == "email_list":
        return [key for key in wanted if key in list_members.get(text.lower(), ())]
    return [text.lower()] if text.lower() in wanted else []


def _approvers(policy, wanted, list_members):
    found = []
    for group in policy.get(APPROVAL_GROUPS) or []:
        for address in group.get("email_addresses") or []:
            if address.lower() in wanted:
                found.append(Mention(APPROVAL_GROUPS, "email_addresses", address, [address.lower()]))
        list_id = group.get("email_list_uuid")
        keys = [key for key in wanted if key in list_members.get(str(list_id).lower(), ())] if list_id else []
        if keys:
            found.append(Mention(APPROVAL_GROUPS, "email_list_uuid", list_id, keys))
    return found


def unread_lists(obj, list_members=None, section="include"):
    """The ids of the email lists in ``section`` of ``obj`` whose entries are not in ``list_members``."""
    read = _lowered(list_members)
    return [value["id"] for rule in obj.get(section) or [] for kind, value in rule.items()
            if kind == "email_list" and value["id"].lower() not in read]


def _lowered(list_members):
    return {str(list_id).lower(): {str(address).lower() for address in addresses}
            for list_id, addresses in (list_members or {}).items()}


def is_email_rule_of(rule, wanted):
    """Whether ``rule`` is an email rule naming one of ``wanted``'s keys (in any letter case)."""
    value = rule.get("email")
    return isinstance(value, dict) and isinstance(value.get("email"), str) and value["email"].lower() in wanted


# --- the reverse view: per user, what names them ---------------------------------------------------------------
def membership(groups, policies, emails, list_members=None, account_id=None):
    """``(named, unreadable)``: for each address asked (as first given), the groups and reusable policies whose
    rules name it and how, ``{kind, id, name, section, rule, value}``; and the objects whose rules could not be
    read (needs_attention entries), which may name them too."""
    wanted = wanted_emails(emails)
    named = {email: [] for email in wanted.values()}
    unreadable = []
    for kind, objects in ((GROUP, groups), (POLICY, policies)):
        for obj in objects:
            problem = read_problem(kind, obj, account_id)
            if problem:
                unreadable.append(attention_entry(kind, obj, [issue("wrong_shape", problem)]))
                continue
            for mention in mentions(kind, obj, wanted, list_members):
                for key in mention.keys:
                    named[wanted[key]].append(dict(kind=kind.name, id=obj["id"], name=_text_or_none(obj.get("name")),
                                                   section=mention.section, rule=mention.rule, value=mention.value))
    return named, unreadable


# --- the plans --------------------------------------------------------------------------------------------------
def plan_absent(groups, policies, emails, list_members=None, account_id=None):
    """The plan that takes ``emails`` out of every group and reusable policy given: one change per object whose
    include has their email rules (whatever the number of users), and needs_attention for everything else that
    names them, for include rules that would leave include empty, and for objects that cannot be read or sent
    back unchanged."""
    wanted = wanted_emails(emails)
    changes, needs_attention = [], []
    for kind, objects in ((GROUP, groups), (POLICY, policies)):
        for obj in objects:
            change, issues = _absent_from(kind, obj, wanted, list_members, account_id)
            if change is not None:
                changes.append(change)
            if issues:
                needs_attention.append(attention_entry(kind, obj, issues, changed=change is not None))
    return Plan(changes, needs_attention)


def _absent_from(kind, obj, wanted, list_members, account_id):
    problem = read_problem(kind, obj, account_id)
    if problem:
        return None, [issue("wrong_shape", problem)]
    issues = [_issue_of(mention, wanted) for mention in mentions(kind, obj, wanted, list_members)
              if not (mention.section == "include" and mention.rule == "email")]
    unread = unread_lists(obj, list_members)
    if unread:
        issues.append(issue("email_list_not_read", section="include", rule="email_list", value=listed(unread)))
    removed = [rule for rule in obj["include"] if is_email_rule_of(rule, wanted)]
    if not removed:
        return None, issues
    emails = _emails_of(removed, wanted)
    include = [rule for rule in obj["include"] if not is_email_rule_of(rule, wanted)]
    if not include:
        return None, issues + [issue("include_would_be_empty", emails=emails, rules=removed)]
    problem = write_problem(kind, obj)
    if problem:
        return None, issues + [issue("cannot_write_back", problem, emails=emails)]
    return Change(kind, obj, removed, [], include, emails), issues


def plan_present(groups, emails, account_id=None):
    """The plan that puts ``emails`` into the include of each of ``groups`` (those named, as read): one change per
    group that lacks any of them, an email rule added for each (in the form asked), after the rules it has."""
    wanted = wanted_emails(emails)
    changes, needs_attention = [], []
    for obj in groups:
        change, issues = _present_in(obj, wanted, account_id)
        if change is not None:
            changes.append(change)
        if issues:
            needs_attention.append(attention_entry(GROUP, obj, issues, changed=change is not None))
    return Plan(changes, needs_attention)


def _present_in(group, wanted, account_id):
    problem = read_problem(GROUP, group, account_id)
    if problem:
        return None, [issue("wrong_shape", problem)]
    found = mentions(GROUP, group, wanted)
    issues = [_issue_of(mention, wanted, code="excluded") for mention in found if mention.section == "exclude"]
    there = {rule["email"]["email"].lower() for rule in group["include"] if is_email_rule_of(rule, wanted)}
    added = [{"email": {"email": email}} for key, email in wanted.items() if key not in there]
    if not added:
        return None, issues
    emails = [rule["email"]["email"] for rule in added]
    problem = write_problem(GROUP, group)
    if problem:
        return None, issues + [issue("cannot_write_back", problem, emails=emails)]
    return Change(GROUP, group, [], added, copy.deepcopy(group["include"]) + added, emails), issues


def _issue_of(mention, wanted, code=None):
    if code is None:
        if mention.section == APPROVAL_GROUPS:
            code = "approver"
        elif mention.rule != "email":
            code = "not_an_email_rule"
        else:
            code = "in_" + mention.section
    why = WHY[code] % mention.rule if code == "not_an_email_rule" else WHY[code]
    return dict(issue=code, why=why, section=mention.section, rule=mention.rule, value=mention.value,
                emails=[wanted[key] for key in mention.keys])


def _emails_of(rules, wanted):
    return list(dict.fromkeys(wanted[rule["email"]["email"].lower()] for rule in rules))


def issue(code, why=None, **details):
    """One reason in a needs_attention entry: ``{issue: code, why: text, ...details}``."""
    return dict(issue=code, why=why or WHY[code], **details)


def attention_entry(kind, obj, issues, changed=False):
    """A needs_attention entry: the object (its id and name, when it has them) and the issues. ``changed`` says
    whether the task changes the object all the same (its other include rules)."""
    obj = obj if isinstance(obj, dict) else {}
    return dict(kind=kind.name, id=_text_or_none(obj.get("id")), name=_text_or_none(obj.get("name")),
                changed=changed, issues=issues)


def changed_emails(plan):
    """The addresses (as asked) whose rules the plan changes, each once, in the order of the changes."""
    return list(dict.fromkeys(email for change in plan.changes for email in change.emails))


def plan_result(plan):
    """The result keys of a plan: ``groups`` and ``policies`` changed (``{id, name, removed, added}``) and
    ``needs_attention``."""
    return dict(groups=[change.result() for change in plan.changes if change.kind is GROUP],
                policies=[change.result() for change in plan.changes if change.kind is POLICY],
                needs_attention=list(plan.needs_attention))


def plan_diff(plan):
    """``--diff``: per object changed, its include before and after, keyed by :func:`object_label`."""
    return dict(before={change.label(): dict(include=change.object["include"]) for change in plan.changes},
                after={change.label(): dict(include=change.include) for change in plan.changes})


def object_label(kind, obj):
    return "%s %s (%s)" % (kind.name, one_line(obj.get("name"), 80), obj.get("id"))


# --- selecting groups by name or id -----------------------------------------------------------------------------
def select_objects(objects, values):
    """``(selected, unknown, ambiguous)``: the objects ``values`` name (by id in any letter case, else by exact
    name), each once, in the order named; the values that name none; and ``{value: [ids]}`` for names that several
    objects have. Objects without a string id and name cannot be named."""
    nameable = [obj for obj in objects if isinstance(obj, dict) and isinstance(obj.get("id"), str)]
    selected, seen, unknown, ambiguous = [], set(), [], {}
    for value in values:
        matches = [obj for obj in nameable if obj["id"].lower() == value.lower()] or [
            obj for obj in nameable if obj.get("name") == value]
        if not matches:
            unknown.append(value)
        elif len(matches) > 1:
            ambiguous[value] = [obj["id"] for obj in matches]
        elif matches[0]["id"].lower() not in seen:
            seen.add(matches[0]["id"].lower())
            selected.append(matches[0])
    return selected, unknown, ambiguous


# --- someone else's edit between the read and the write ----------------------------------------------------------
def changed_since_read(kind, planned_from, now, account_id=None):
    """None when ``now`` (the object read again just before its PUT) is, in every field the PUT carries, the
    object the change was planned from; otherwise why not (the change is then reported, never sent).

    Rules compare as sets (their order is not theirs to keep: policies declare them sets); null is the same as
    left out; read-only fields (``updated_at``...) do not count: a PUT does not send them.
    """
    if now is None:
        return "it was deleted since it was read"
    problem = read_problem(kind, now, account_id) or write_problem(kind, now)
    if problem:
        return "read again, %s" % problem
    if now["id"].lower() != planned_from["id"].lower():
        return "read again, the answer is about another %s (id %s)" % (kind.name, _shown(now["id"]))
    differing = [field for field in kind.writable if _comparable(field, planned_from) != _comparable(field, now)]
    if differing:
        return "someone changed it since it was read: %s" % listed(differing)
    return None


def _comparable(field, obj):
    value = obj.get(field)
    if field in SECTIONS:
        return _as_set(value or [])
    return json.dumps(value, sort_keys=True)


def _as_set(rules):
    return sorted(json.dumps(rule, sort_keys=True) for rule in rules)


# --- what a PUT did --------------------------------------------------------------------------------------------
DONE, NOT_DONE = "done", "not done"


def write_outcome(change, now):
    """What ``now`` (the object as the PUT's answer, or a read after it, shows it) says of ``change``: DONE when
    its include is the one planned, NOT_DONE when it is still the one read; otherwise why it is neither (another
    object, deleted, or changed by someone else), and the outcome of the PUT is not known."""
    if now is None:
        return "it is gone"
    if not isinstance(now, dict) or not isinstance(now.get("id"), str) or now["id"].lower() != change.object["id"].lower():
        return "the answer is about another %s (id %s)" % (change.kind.name, _shown(
            now.get("id") if isinstance(now, dict) else now))
    if not isinstance(now.get("include"), list):
        return "its include is %s, not a list of rules" % _shown(now.get("include"))
    if _as_set(now["include"]) == _as_set(change.include):
        return DONE
    if _as_set(now["include"]) == _as_set(change.object["include"]):
        return NOT_DONE
    return "its include is neither the one planned nor the one read: someone else changed it"


def _shown(value):
    """A value from an answer, for a reason: its JSON type, and the value itself when short."""
    if isinstance(value, (dict, list)) or value is None:
        return json_type(value)
    return "%s %s" % (json_type(value), one_line(json.dumps(value), SHOWN_CHARS))


def _text_or_none(value):
    return value if isinstance(value, str) else None
