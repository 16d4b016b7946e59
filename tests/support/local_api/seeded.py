# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the local API holds when it starts, and again after ``reset()``: the same on every start.

* the users: the schema's example user (jdoe@example.com, both seats), a lookalike whose email contains
  its email, then generated users (first.lastN@example.com) with mixed seats, logins and devices;
* each user's active sessions, failed logins and last seen identity, made from the user;
* a passkey for about a third of the users (the example user 1) and a TOTP authenticator beside each
  passkey (listed by no read, as on Cloudflare);
* 1 to 4 WARP registrations (the example user 2) for each user who holds a Gateway seat at the start;
* the event feeds of 2026-11-30: a few Access authentication records (a denied one among them), audit log
  records, and risk events of the example user (low) and its lookalike (medium).
* Access groups and reusable policies that name the example user and its lookalike in every way a rule can
  (ACCESS_GROUPS, REUSABLE_POLICIES), then, when more are asked for, generated ones naming generated users.
"""

from __future__ import annotations

import base64
import random
import uuid

from . import ACCOUNT_ID

SEED = 20261126

EXAMPLE_USER = {
    "id": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
    "access_seat": True,
    "active_device_count": 2,
    "created_at": "2014-01-01T05:20:00.12345Z",
    "email": "jdoe@example.com",
    "gateway_seat": True,
    "last_successful_login": "2020-07-01T05:20:00Z",
    "name": "Jane Doe",
    "seat_uid": "9f6b5c4a-8d2e-4e1f-a0b3-7c9d8e6f5a41",
    "uid": "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b",
    "updated_at": "2014-01-01T05:20:00.12345Z",
}

# Its email contains the example user's: the API's email filter (a search) finds both for jdoe@example.com.
LOOKALIKE_USER = dict(EXAMPLE_USER, id="5e1c3b7a-2d4f-4a6b-9c8d-7e6f5a4b3c2d", email="john.jdoe@example.com",
                      name="John Jdoe", access_seat=False, gateway_seat=True, active_device_count=0,
                      last_successful_login=None, seat_uid="0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
                      uid="3d4e5f60-7182-4394-a5b6-c7d8e9f0a1b2", created_at="2025-03-01T09:00:00Z",
                      updated_at="2025-03-01T09:00:00Z")

FIRST_NAMES = ("Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Radia", "Vint",
               "Frances", "Donald", "Hedy", "Edsger", "Karen", "Tim", "Shafi", "Whitfield", "Sophie", "Leslie")
LAST_NAMES = ("Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
              "Perlman", "Cerf", "Allen", "Knuth", "Lamarr", "Dijkstra", "Jones", "Lee", "Goldwasser",
              "Diffie", "Wilson", "Lamport")
DEVICE_MODELS = ("MacBook Pro", "ThinkPad X1", "iPhone 15", "Pixel 8", "Surface Laptop", "iPad Air")


def users(count, seed=SEED):
    """``count`` users: the example user and its lookalike first, then generated ones with mixed seats."""
    rng = random.Random(seed)
    made = [dict(EXAMPLE_USER), dict(LOOKALIKE_USER)][:count]
    for number in range(2, count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        created = "20%02d-%02d-%02dT%02d:%02d:00Z" % (
            rng.randint(19, 25), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59))
        seats = rng.random()
        access_seat, gateway_seat = seats < 0.65, 0.35 < seats < 0.9
        never_logged_in = rng.random() < 0.15
        login = None if never_logged_in else "2026-%02d-%02dT%02d:%02d:%02dZ" % (
            rng.randint(1, 11), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        made.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "access_seat": access_seat,
            "active_device_count": 0 if never_logged_in else rng.randint(0, 3),
            "created_at": created,
            "email": "%s.%s%d@example.com" % (first.lower(), last.lower(), number),
            "gateway_seat": gateway_seat,
            "last_successful_login": login,
            "name": "%s %s" % (first, last),
            "seat_uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "updated_at": login or created,
        })
    return made


def sub_resources(user):
    """The user's ``active_sessions``, ``failed_logins`` and ``last_seen_identity`` as seeded."""
    logged_in = user.get("last_successful_login") is not None
    sessions = []
    if logged_in and user.get("active_device_count"):
        app = {"hostname": "app.example.com", "name": "Example App", "type": "self_hosted",
               "uid": "cc2a8145-0128-4429-87f3-872c4d380c4e"}
        sessions = [{"name": "app.example.com", "expiration": 1795689600,
                     "metadata": {"nonce": "X1aXj1lFVcqqyoXF", "ttl": 21600, "iat": 1795668000, "expires": 1795689600,
                                  "apps": {app["uid"]: app}}}]
    failed_logins = []
    if not logged_in:
        metadata = {"app_name": "Test App", "datetime": "2026-11-01T10:00:00Z", "ray_id": "6a1b2c3d4e5f6071",
                    "user_email": user["email"], "user_uuid": user["id"]}
        failed_logins = [{"expiration": 0, "metadata": metadata}]
    identity = {"email": user["email"], "name": user["name"], "user_uuid": user["id"], "ip": "203.0.113.7",
                "idp": {"id": "idp-1", "type": "okta"}, "geo": {"country": "US"}, "devicePosture": {},
                "device_sessions": {}, "passkeys": passkeys(user)}
    return {"active_sessions": sessions, "failed_logins": failed_logins, "last_seen_identity": identity}


def passkeys(user):
    """The passkeys ``last_seen_identity`` lists for ``user`` as seeded (before any is deleted)."""
    rng = random.Random("passkeys:" + user["id"])
    if user["email"] != "jdoe@example.com" and rng.random() >= 0.33:
        return []
    return [{"id": "passkey-%s" % user["id"][:8], "name": "%s's security key" % (user.get("name") or "User").split()[0],
             "created_at": "2025-06-01T09:00:00Z", "last_used_at": "2026-10-30T08:12:00Z"}]


def authenticators(user):
    """Every MFA authenticator id of ``user`` as seeded: the passkeys and, beside each, a TOTP app (never listed)."""
    keys = [passkey["id"] for passkey in passkeys(user)]
    return keys + ["totp-%s" % user["id"][:8] for _key in keys]


def registrations(user):
    """The registrations of a Gateway seat holder as seeded: 1 to 4 (the example user 2), all active."""
    rng = random.Random("registrations:" + user["id"])
    count = 2 if user["email"] == "jdoe@example.com" else rng.randint(1, 4)
    first = (user.get("name") or "User").split()[0]
    made = []
    for number in range(count):
        host = rng.randint(1, 250)
        seen = "2026-%02d-%02dT%02d:%02d:00Z" % (rng.randint(9, 11), rng.randint(1, 28), rng.randint(0, 23),
                                                 rng.randint(0, 59))
        made.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "key": base64.b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode(),
            "key_type": "secp256r1",
            "tunnel_type": "masque",
            "device": {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                       "name": "%s's %s" % (first, DEVICE_MODELS[(number + host) % len(DEVICE_MODELS)]),
                       "client_version": "2025.9.558.0"},
            "user": {"id": user["id"], "email": user["email"], "name": user.get("name") or ""},
            "created_at": "2025-%02d-%02dT09:00:00Z" % (rng.randint(1, 12), rng.randint(1, 28)),
            "updated_at": seen,
            "last_seen_at": seen,
            "revoked_at": None,
            "deleted_at": None,
            "virtual_ipv4": "100.96.%d.%d" % (rng.randint(0, 255), host),
            "virtual_ipv6": "2606:4700:0cf1:1000::%x" % rng.getrandbits(16),
        })
    return made


FEEDS_DAY = "2026-11-30"


def access_requests():
    """The Access authentication records as seeded: three logins of the example user, the second one denied."""
    return [{"action": "login", "allowed": allowed, "app_domain": "app.example.com/admin",
             "app_uid": "df7e2w5f-02b7-4d9d-af26-8d1988fca630", "connection": "saml",
             "created_at": "%sT0%d:20:00.12345Z" % (FEEDS_DAY, hour), "ip_address": "198.41.129.166",
             "ray_id": "187d944c61940c7%d" % hour, "user_email": EXAMPLE_USER["email"], "user_id": EXAMPLE_USER["id"],
             "country": "US", "app_name": "Example App", "app_type": "self_hosted"}
            for hour, allowed in ((5, True), (6, False), (7, True))]


def audit_logs():
    """The audit log (v2) records as seeded: the example user changed an Access application, then a DNS record."""
    return [{"id": "%032x" % number,
             "account": {"id": "023e105f4ecef8ad9ca31a8372d0c353", "name": "Example Account"},
             "action": {"description": description, "result": "success", "time": "%sT0%d:31:07Z" % (FEEDS_DAY, number),
                        "type": "update"},
             "actor": {"context": "dash", "email": EXAMPLE_USER["email"], "id": EXAMPLE_USER["id"],
                       "ip_address": "198.41.129.166", "type": "user"},
             "raw": {"cf_ray_id": "8e9b1c60ef9e1c9%d" % number, "method": "PUT", "status_code": 200,
                     "uri": "/accounts/023e105f4ecef8ad9ca31a8372d0c353/%s" % uri, "user_agent": "Mozilla/5.0"},
             "resource": {"id": "%032x" % (number + 100), "product": product, "scope": {}, "type": kind},
             "zone": {}}
            for number, description, product, kind, uri in (
                (5, "Update application", "access", "application", "access/apps"),
                (6, "Update DNS record", "dns_records", "record", "dns_records"))]


def risk_events():
    """The risk events as seeded, by user id: the example user low, its lookalike medium."""
    return {
        EXAMPLE_USER["id"]: [{"id": "risk-%s-1" % EXAMPLE_USER["id"][:8], "name": "dlp_match", "risk_level": "low",
                              "timestamp": "%sT05:00:00Z" % FEEDS_DAY, "event_details": {}}],
        LOOKALIKE_USER["id"]: [{"id": "risk-%s-1" % LOOKALIKE_USER["id"][:8], "name": "impossible_travel",
                                "risk_level": "medium", "timestamp": "%sT06:00:00Z" % FEEDS_DAY, "event_details": {}}],
    }


# --- Access groups and reusable policies -------------------------------------------------------------------------------
# Who the rules name besides the sample users: an address whose user is gone (offboarded before), an admin.
FORMER_EMPLOYEE = "former.employee@example.com"
ADMIN = "admin@example.com"
IDP = "ea85612a-29c8-46c2-bacb-669d65136971"  # an identity provider's id, as the schema's examples give it
EMAIL_LIST = "aa0a4aab-672b-4bdb-bc33-a59f1130a11f"  # a Zero Trust list of emails (its entries are not served)
SEEDED_AT = "2025-02-01T10:00:00Z"


def _email(address):
    return {"email": {"email": address}}


JDOE, LOOKALIKE = EXAMPLE_USER["email"], LOOKALIKE_USER["email"]
ENGINEERING = "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01"
# Each group as "List Access groups" answers it: id, name, include, require, exclude, created_at, updated_at.
ACCESS_GROUPS = [
    # the example user among others, and its lookalike (whose address contains the example user's)
    dict(id=ENGINEERING, name="Engineering", include=[_email(JDOE), _email(LOOKALIKE), _email(FORMER_EMPLOYEE)]),
    # the example user in another letter case; the lookalike excluded
    dict(id="6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a02", name="Contractors",
         include=[{"email_domain": {"domain": "partner.example"}}, _email("JDoe@Example.COM")],
         exclude=[_email(LOOKALIKE)]),
    # the example user is its only include rule
    dict(id="6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a03", name="On-call", include=[_email(JDOE)]),
    # the whole domain, but only with the example user's email: removing that require rule would let the domain in
    dict(id="6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a04", name="Domain, one person required",
         include=[{"email_domain": {"domain": "example.com"}}], require=[_email(JDOE)]),
    # the example user named by rules that are not email rules of one person
    dict(id="6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a05", name="Lists and identity providers",
         include=[{"email_list": {"id": EMAIL_LIST}},
                  {"gsuite": {"email": "devs@example.com", "identity_provider_id": IDP}}],
         require=[{"saml": {"attribute_name": "email", "attribute_value": JDOE, "identity_provider_id": IDP}}],
         exclude=[{"common_name": {"common_name": LOOKALIKE}}]),
    # everyone but a former employee
    dict(id="6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a06", name="Everyone but former staff", include=[{"everyone": {}}],
         exclude=[_email(FORMER_EMPLOYEE)]),
]
# Each reusable policy as "List Access reusable policies" answers it (access_reusable_policy_resp).
REUSABLE_POLICIES = [
    dict(id="0c5b4a39-2817-4f6e-9d5c-4b3a29180701", name="Allow engineering", decision="allow",
         include=[{"group": {"id": ENGINEERING}}], app_count=3),
    # the example user among others; the lookalike an approver
    dict(id="0c5b4a39-2817-4f6e-9d5c-4b3a29180702", name="Admins, approved", decision="allow",
         include=[_email(JDOE), _email(ADMIN)],
         approval_groups=[{"approvals_needed": 1, "email_addresses": [LOOKALIKE, ADMIN]}], approval_required=True,
         purpose_justification_required=True, purpose_justification_prompt="Why do you need admin access?",
         session_duration="8h", mfa_config={"allowed_authenticators": ["totp", "security_key"], "session_duration": "12h"}),
    # the example user is its only include rule
    dict(id="0c5b4a39-2817-4f6e-9d5c-4b3a29180703", name="Jane's bypass", decision="bypass", include=[_email(JDOE)]),
    # the lookalike in another letter case, and the former employee
    dict(id="0c5b4a39-2817-4f6e-9d5c-4b3a29180704", name="Block leavers", decision="deny",
         include=[_email(FORMER_EMPLOYEE), _email("John.JDoe@example.com")]),
    # partners, the example user required through an OIDC claim and excluded by its email rule
    dict(id="0c5b4a39-2817-4f6e-9d5c-4b3a29180705", name="Partners", decision="allow",
         include=[{"email_domain": {"domain": "partner.example"}}],
         require=[{"oidc": {"claim_name": "email", "claim_value": JDOE, "identity_provider_id": IDP}}],
         exclude=[_email(JDOE)], session_duration=None),
]


def access_groups(users, count=None, seed=SEED):
    """The groups of the account: ACCESS_GROUPS, then generated ones up to ``count``."""
    made = [_group(group) for group in ACCESS_GROUPS]
    rng = random.Random("groups:%s" % seed)
    for number in range(len(made), count or 0):
        made.append(_group(dict(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), name="Team %d" % number,
                                include=_generated_rules(rng, users))))
    return made


def reusable_policies(users, count=None, seed=SEED):
    """The reusable policies of the account: REUSABLE_POLICIES, then generated ones up to ``count``."""
    made = [_policy(policy) for policy in REUSABLE_POLICIES]
    rng = random.Random("policies:%s" % seed)
    for number in range(len(made), count or 0):
        made.append(_policy(dict(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), name="Policy %d" % number,
                                 decision=rng.choice(("allow", "allow", "deny", "bypass")),
                                 include=_generated_rules(rng, users))))
    return made


def _generated_rules(rng, users):
    """One to five email rules of the generated users (an everyone rule where there are none)."""
    generated = [user["email"] for user in users[2:]]
    if not generated:
        return [{"everyone": {}}]
    return [_email(address) for address in rng.sample(generated, min(len(generated), rng.randint(1, 5)))]


def _group(fields):
    return _answered(fields, require=[], exclude=[], created_at=SEEDED_AT, updated_at=SEEDED_AT)


def _policy(fields):
    return _answered(fields, require=[], exclude=[], approval_groups=[], approval_required=False,
                     isolation_required=False, purpose_justification_required=False, session_duration="24h",
                     app_count=1, created_at=SEEDED_AT, updated_at=SEEDED_AT, account_id=ACCOUNT_ID, reusable=True)


def _answered(fields, **defaults):
    """``fields`` over ``defaults``, id and name first, as an answer shows them."""
    made = {"id": fields["id"], "name": fields["name"]}
    made.update(defaults)
    made.update(fields)
    return made
