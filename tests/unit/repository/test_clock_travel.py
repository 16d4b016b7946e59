# Copyright (c) 2026, cloudflare_community.zero_trust contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/support/clock_travel.py, the plugin of ``scripts/test units-clock``: it really moves the wall clock of a
pytest run, keeps it ticking, and leaves monotonic time and ``time.sleep`` alone."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SUPPORT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support")

PROBE = textwrap.dedent('''
    import datetime
    import time

    def test_the_wall_clock_is_moved_and_ticks():
        first = datetime.datetime.now(datetime.timezone.utc)
        assert first.strftime("%Y-%m-%d") == "2028-02-29", first
        time.sleep(0)  # libfaketime makes this fail
        start = time.monotonic()
        time.sleep(0.2)
        assert time.monotonic() - start >= 0.2
        assert datetime.datetime.now(datetime.timezone.utc) > first
        assert time.gmtime().tm_year == 2028
''')


def test_a_run_with_the_plugin_sees_the_moved_clock_ticking(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    # A pytest of its own: not the plugins or options of the run around it (ansible-test units sets some).
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    environment["PYTHONPATH"] = os.path.abspath(SUPPORT)
    run = subprocess.run([sys.executable, "-m", "pytest", "-c", str(tmp_path / "pytest.ini"), "-p", "no:cacheprovider",
                          "-p", "clock_travel", "--clock", "2028-02-29T12:00:00Z", str(probe)], cwd=str(tmp_path),
                         env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "wall clock moved to 2028-02-29T12:00:00Z" in run.stdout


def test_the_moments_are_a_year_ahead_a_leap_day_and_new_year():
    sys.path.insert(0, os.path.abspath(SUPPORT))
    try:
        import clock_travel
    finally:
        sys.path.pop(0)
    days = [moment[:10] for moment in clock_travel.MOMENTS]
    assert any(day.endswith("-02-29") for day in days)
    assert any(day.endswith("-12-31") for day in days)
    assert any(day > "2028" for day in days)
