#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The LAVA side of the tests (Debian's python3-jinja2 and python3-yaml).

  lava.py job --templates DIR --out DIR --kernel-url URL --rootfs-url URL
              [--rtc-base TIME] [--cmdline ARGS]
      Render board/lava/job.yaml.jinja2 into OUT/job.yaml and the device
      dictionary board/lava/qemu-armv7-virt.jinja2 (on lava-server's
      qemu.jinja2 in DIR) into OUT/device.yaml, as lava-server renders a
      device for a job: with the job's context.

  lava.py results LAVA_LOG --out DIR
      Read lava-run's log (YAML, one record per line), write the console
      it saw to DIR/console.log and the per-case results of the test
      monitors to DIR/lava-results.json, print a summary, and exit 1 if
      the job or any case failed.
"""

import argparse
import datetime
import json
import pathlib
import re
import sys

import jinja2
import yaml

TOP = pathlib.Path(__file__).resolve().parent.parent
BOARD_LAVA = TOP / "board" / "lava"

# Both monitors read KTAP: the kernel's KUnit output up to init, and the
# on-target block printed by init (tests/target/run-all).
MONITORS = [
    {"name": "kunit", "start": "KTAP version 1", "end": "Run /sbin/init as init process"},
    {"name": "target", "start": "target-tests: begin", "end": "target-tests: end"},
]

# pexpect matches against a buffer that may end mid-line, with re.DOTALL and
# no MULTILINE. So: (?m) for ^, and the line must end in a newline, or a
# name cut off by a console read would be recorded. Only "ok"/"not ok" at
# the start of a line (after a printk timestamp and indentation) is a
# result, never a "# ok" diagnostic. A monitor's `result` group goes
# through fixupdict only; to record "# SKIP" as a skip rather than a pass,
# a lookahead sets `result` to "SKIP" on such lines.
RESULT_PATTERN = (
    r"(?m)^(?:\[ *\d+\.\d+\] )?[ \t]*"
    r"(?=(?:[^\r\n]*# (?=SKIP))?(?P<result>SKIP|not ok|ok))"
    r"(?:not ok|ok) \d+ (?:- )?(?P<test_case_id>[^#\r\n]*?)[ \t]*(?:#[^\r\n]*)?\r*\n"
)

# Board settings, as start-qemu.sh sets them.
KERNEL_CMDLINE = "console=ttyAMA0 root=/dev/vda rw rootfstype=ext4 rootwait panic=-1"


def die(msg):
    print(f"lava: error: {msg}", file=sys.stderr)
    sys.exit(2)


def cmd_job(args):
    templates = pathlib.Path(args.templates)
    if not (templates / "qemu.jinja2").is_file():
        die(f"no qemu.jinja2 in {templates} (run 'scripts/deps.sh --lava-templates')")
    try:
        when = datetime.datetime.strptime(args.rtc_base, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        die(f"bad RTC base '{args.rtc_base}' (want YYYY-MM-DDTHH:MM:SS, UTC)")
    epoch = int(when.replace(tzinfo=datetime.timezone.utc).timestamp())
    cmdline = f"{KERNEL_CMDLINE} board.mode=test board.rtc_base={epoch}"
    if args.cmdline.strip():
        cmdline += " " + args.cmdline.strip()
    if '"' in cmdline:
        die("the kernel command line cannot contain '\"' in a LAVA image_arg")

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(BOARD_LAVA), str(templates)]),
        autoescape=False,
        trim_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    job_text = env.get_template("job.yaml.jinja2").render(
        job_name="rust-pl031 qemu-armv7 virt - KUnit and on-target tests",
        job_minutes=30,
        test_minutes=20,
        kernel_url=args.kernel_url,
        rootfs_url=args.rootfs_url,
        kernel_cmdline=cmdline,
        rtc_base=args.rtc_base,
        monitors=MONITORS,
        result_pattern=RESULT_PATTERN,
    )
    job = yaml.safe_load(job_text)
    for monitor in job["actions"][2]["test"]["monitors"]:
        if re.compile(monitor["pattern"]).groupindex.keys() != {"result", "test_case_id"}:
            die("the monitor pattern lost its groups in YAML")

    # lava-server renders the device-type template with the device
    # dictionary and the job's context; do the same.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(BOARD_LAVA), str(templates)]),
        autoescape=False,
        trim_blocks=True,
    )
    device_text = env.get_template("qemu-armv7-virt.jinja2").render(**job["context"])
    device = yaml.safe_load(device_text)
    qemu = device["actions"]["boot"]["methods"]["qemu"]["parameters"]
    if qemu["command"] != "qemu-system-arm":
        die(f"qemu.jinja2 gave '{qemu['command']}' for arch arm")

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "job.yaml").write_text(job_text, encoding="utf-8")
    (out / "device.yaml").write_text(device_text, encoding="utf-8")
    print(f"lava: wrote {out / 'job.yaml'} and {out / 'device.yaml'}")
    print("lava: QEMU: " + " ".join([qemu["command"], *qemu["options"], *qemu.get("extra", [])]))


def read_log(path):
    """The records of a lava-run log, in order: one YAML flow mapping per
    line (`{"dt": ..., "lvl": ..., "msg": ...}`); other lines are not
    records (lava-run's own prints, Python warnings)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    records = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            text = line.strip()
            if text.startswith("- {"):
                text = text[2:]
            if not text.startswith('{"dt": '):
                continue
            try:
                data = yaml.load(text, Loader=loader)
            except yaml.YAMLError as exc:
                die(f"{path}:{number}: not a lava-run log record: {exc}")
            records.append(data)
    return records


def cmd_results(args):
    records = read_log(args.lava_log)
    if not records:
        die(f"{args.lava_log}: no lava-run log records")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    # The console as lava-run logged it: one `target` record per line. Its
    # ShellLogger drops CR, ESC and empty lines and writes " as \"; undo
    # the last.
    console = [
        r["msg"].replace('\\"', '"')
        for r in records
        if r.get("lvl") == "target" and isinstance(r.get("msg"), str)
    ]
    (out / "console.log").write_text("".join(line + "\n" for line in console), encoding="utf-8")

    monitor_names = {m["name"] for m in MONITORS}
    cases, lava_results, problems = [], [], []
    for r in records:
        if r.get("lvl") != "results":
            continue
        msg = r["msg"]
        if msg.get("definition") in monitor_names:
            cases.append(
                {
                    "suite": msg["definition"],
                    "case": msg["case"],
                    "name": msg.get("extra", {}).get("test_case_id", msg["case"]),
                    "result": msg["result"],
                }
            )
        else:
            lava_results.append(msg)
            if msg.get("result") == "fail":
                problems.append(
                    f"LAVA {msg.get('definition')}/{msg.get('case')} failed"
                    + (f": {msg['error_msg']}" if msg.get("error_msg") else "")
                )
    for r in records:
        if r.get("lvl") in ("error", "exception") and isinstance(r.get("msg"), str) and r["msg"].strip():
            problems.append(f"lava-run {r['lvl']}: {r['msg'].strip().splitlines()[-1]}")
    if not any(m.get("definition") == "lava" and m.get("case") == "job" for m in lava_results):
        problems.append("lava-run recorded no job result (did it stop early?)")

    (out / "lava-results.json").write_text(json.dumps(cases, indent=4) + "\n", encoding="utf-8")

    failed = 0
    for name in [m["name"] for m in MONITORS]:
        counts = {"pass": 0, "fail": 0, "skip": 0, "unknown": 0}
        for c in cases:
            if c["suite"] == name:
                counts[c["result"]] += 1
        print(
            f"LAVA {name}: {counts['pass']} passed, {counts['fail']} failed, "
            f"{counts['skip']} skipped"
            + (f", {counts['unknown']} unknown" if counts["unknown"] else "")
        )
        failed += counts["fail"] + counts["unknown"]
        if not sum(counts.values()):
            problems.append(f"LAVA recorded no results for the {name} monitor")
    for c in cases:
        if c["result"] in ("fail", "unknown"):
            print(f"  FAILED: {c['suite']}.{c['name']}")
    for p in problems:
        print(f"lava: error: {p}", file=sys.stderr)
    print(f"lava: console ({len(console)} lines) in {out / 'console.log'}, cases in {out / 'lava-results.json'}")
    return 1 if failed or problems else 0


def main():
    p = argparse.ArgumentParser(prog="lava.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    j = sub.add_parser("job", help="render job.yaml and device.yaml")
    j.add_argument("--templates", required=True, help="lava-server's device-types folder")
    j.add_argument("--out", required=True)
    j.add_argument("--kernel-url", required=True)
    j.add_argument("--rootfs-url", required=True)
    j.add_argument("--rtc-base", default="2030-01-01T00:00:00")
    j.add_argument("--cmdline", default="", help="extra kernel command line")
    r = sub.add_parser("results", help="read a lava-run log")
    r.add_argument("lava_log")
    r.add_argument("--out", required=True)
    args = p.parse_args()
    if args.command == "job":
        cmd_job(args)
        return 0
    return cmd_results(args)


if __name__ == "__main__":
    sys.exit(main())
