# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module of the collection, as meta/runtime.yml's action group lists them: what a test of "every module"
runs over, so that a new module is in it from the day it joins the group."""

from __future__ import annotations

import importlib
import os
import pathlib
import tempfile

import yaml

from .local_api import seeded

ROOT = pathlib.Path(__file__).resolve().parents[2]
ACTION_GROUP = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["action_groups"]["cloudflare"]
MODULES = {name: importlib.import_module("ansible_collections.cloudflare_community.zero_trust.plugins.modules." + name)
           for name in ACTION_GROUP}
# What a module needs besides the account, the credentials and the user it selects to run a task with either kind of
# credential (cf_access_revoke's devices take an API token only: it keeps them). The seat report's directory is never
# written by a test of every module: each fails before any request or runs in check mode.
TASK_OPTIONS = dict(cf_access_seat=dict(access_seat=False), cf_access_revoke=dict(devices="keep"),
                    cf_access_seat_report=dict(report_dir=os.path.join(tempfile.gettempdir(), "cf_every_module")))


def task_on_example_user(name):
    """The arguments of a task of module ``name`` on jdoe (seeded.EXAMPLE_USER), the account and credentials aside:
    his user_id for a module that selects users, and what TASK_OPTIONS names."""
    selection = dict(user_id=seeded.EXAMPLE_USER["id"]) if "user_id" in MODULES[name].ARGUMENT_SPEC else {}
    return dict(selection, **TASK_OPTIONS.get(name, {}))
