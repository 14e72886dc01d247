# SPDX-License-Identifier: GPL-2.0
"""Turn `make bench`'s raw boots and sizes into report.md, results.json and
plots (bench/run.sh calls it). Parsing, statistics and the report are pure
functions of text and numbers, unit-tested in bench/test_analyze.py; only
main() reads files and only plot() draws.

usage: analyze.py --bench DIR --machine TEXT --images NAME...
"""

import argparse
import json
import math
import re
import statistics
import sys
from pathlib import Path

PAGE = 4096

# "[    0.123456] message", as printk prints with CONFIG_PRINTK_TIME.
PRINTK = re.compile(r"^\[\s*(\d+\.\d+)\]\s?(.*)$")
# The top-level KTAP result of one suite: not indented.
KUNIT_TOP = re.compile(r"^(not )?ok \d+ \S")
PROBE = re.compile(r"^probe of (\S+) returned (-?\d+) after (\d+) usecs")
MEMORY = re.compile(r"^Memory: (\d+)K/(\d+)K available .*?(\d+)K reserved")

# The driver's own ops, timed in the kernel (bench/kernel/): the keys of a
# "bench: optime calls=N read_time_ns=T ..." line, and their labels.
OPTIME_OPS = [
    ("read_time", "read_time"),
    ("set_time", "set_time"),
    ("read_alarm", "read_alarm"),
]

# Timed beside them, no driver op: a devres_find() that walks all of the
# parent's devres entries and matches none, the ceiling of the lookup the
# Rust RTC abstraction makes on every op.
OPTIME_BASELINES = [
    ("devres_miss", "devres_find() walking all entries (C, no driver)"),
    ("time64_to_tm", "rtc_time64_to_tm() (C, no driver: the host's speed)"),
]
# Each cost is divided by a baseline the same boot timed beside it, the same
# code in every image: the host's speed changes by half for seconds or whole
# boots at a time, and the quotient cancels that out. Ratios between images
# compare these quotients.
BASELINE_KERNEL = "time64_to_tm"
BASELINE_USER = "getppid"

# The ioctls that reach the driver, timed in user space.
IOCTLS = [("rd_time", "RTC_RD_TIME"), ("set_time", "RTC_SET_TIME")]

# The boot events, in boot order, with a label for the report.
EVENTS = [
    ("probe", "driver probe returned"),
    ("rtc_registered", "RTC registered (rtc0)"),
    ("hctosys", "hctosys: system clock set"),
    ("kunit_end", "end of built-in KUnit"),
    ("init", "init started (Run /sbin/init)"),
]


class BenchError(Exception):
    """Bad or incomplete input, named in the message."""


def parse_printk(line):
    """(seconds, message) of one printk line, or None."""
    m = PRINTK.match(line)
    if not m:
        return None
    return float(m.group(1)), m.group(2)


def parse_optime(text):
    """One round of the in-kernel op timer, "calls=N read_time_ns=T
    set_time_ns=T read_alarm_ns=T" (an op the driver lacks reads -1):
    {"calls": N, op: ns per call or None}. Raises BenchError on anything
    else."""
    fields = dict(f.partition("=")[::2] for f in text.split())
    try:
        calls = int(fields["calls"])
        totals = {op: int(fields[op + "_ns"]) for op, _ in OPTIME_OPS}
        totals.update({op: int(fields.get(op + "_ns", -1)) for op, _ in OPTIME_BASELINES})
    except (KeyError, ValueError):
        raise BenchError(f"bad op timer line: '{text}'") from None
    if calls <= 0:
        raise BenchError(f"op timer line without calls: '{text}'")
    out = {"calls": calls}
    for op, total in totals.items():
        out[op] = total / calls if total >= 0 else None
    return out


def parse_boot(text):
    """One boot's console log, as bench/guest/*.sh print it: the guest's
    "bench: key=value" lines and its dmesg as "bench-dmesg: " lines.

    Returns {"values": {key: str}, "modules": [line], "events": {name: s},
    "probe_us": int|None, "memory": {...}|None, "optime": {op: ns}}, the
    last with the best (lowest) ns per call of each op over the rounds.
    Raises BenchError when the boot has no kernel log or never started
    init."""
    values, modules, dmesg, rounds, kallsyms = {}, [], [], [], []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if line.startswith("bench: optime "):
            rounds.append(parse_optime(line[len("bench: optime "):]))
        elif line.startswith("bench-dmesg: "):
            parsed = parse_printk(line[len("bench-dmesg: "):])
            if parsed:
                dmesg.append(parsed)
        elif line.startswith("bench: "):
            for field in line[len("bench: "):].split(" "):
                key, sep, value = field.partition("=")
                if not sep:
                    continue
                if key == "module":
                    modules.append(line.split("module=", 1)[1])
                    break
                if key == "module_kallsyms":
                    kallsyms.append(line.split("module_kallsyms=", 1)[1])
                    break
                values[key] = value
    if not dmesg:
        raise BenchError("no kernel log (bench-dmesg: lines) in the boot log")
    events, probe_us, memory = {}, None, None
    for ts, msg in dmesg:
        m = PROBE.match(msg)
        if m and m.group(1).endswith(".pl031") and "probe" not in events:
            events["probe"] = ts
            probe_us = int(m.group(3))
        if msg.endswith(": registered as rtc0") and "rtc_registered" not in events:
            events["rtc_registered"] = ts
        if ": setting system clock to " in msg and "hctosys" not in events:
            events["hctosys"] = ts
        if msg.startswith("Run /sbin/init as init process") and "init" not in events:
            events["init"] = ts
        if memory is None:
            m = MEMORY.match(msg)
            if m:
                memory = {"available_kib": int(m.group(1)),
                          "total_kib": int(m.group(2)),
                          "reserved_kib": int(m.group(3))}
    if "init" not in events:
        raise BenchError("no 'Run /sbin/init' line in the kernel log")
    # Built-in KUnit runs before init; a module's suites run at insmod.
    tops = [ts for ts, msg in dmesg if KUNIT_TOP.match(msg) and ts <= events["init"]]
    if tops:
        events["kunit_end"] = tops[-1]
    optime = {}
    for op, _ in OPTIME_OPS + OPTIME_BASELINES:
        per_call = [r[op] for r in rounds if r[op] is not None]
        if per_call:
            optime[op] = min(per_call)
    return {"values": values, "modules": modules, "events": events,
            "probe_us": probe_us, "memory": memory, "optime": optime,
            "module_kallsyms": dict(module_kallsyms(k) for k in kallsyms)}


def stats(xs):
    """min, median and max of a non-empty list, and how many."""
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"min": min(xs), "median": statistics.median(xs), "max": max(xs), "n": len(xs)}


def ratio(a, b):
    """a / b, or None when either is missing or b is zero."""
    if a is None or b is None or b == 0:
        return None
    return a / b


def parse_sections(text):
    """llvm-size -A output: {section: bytes}."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit() and not line.startswith(("Total", "section")):
            out[parts[0]] = out.get(parts[0], 0) + int(parts[1])
    return out


def parse_env(text):
    """key=value lines; a repeated key gives a list."""
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if not sep:
            continue
        value = int(value) if value.isdigit() else value
        if key in out:
            out[key] = (out[key] if isinstance(out[key], list) else [out[key]]) + [value]
        else:
            out[key] = value
    return out


def object_size(sections):
    """text/data/bss of an object the way size(1) groups them: code, data
    (including read-only data), zero-filled."""
    text = sum(v for k, v in sections.items() if k.startswith(".text"))
    rodata = sum(v for k, v in sections.items() if k.startswith(".rodata"))
    data = sum(v for k, v in sections.items() if k.startswith(".data"))
    bss = sum(v for k, v in sections.items() if k.startswith(".bss"))
    return {"text": text, "rodata": rodata, "data": data, "bss": bss}


def test_text_bytes(nm_text):
    """Bytes of code in an object's KUnit tests: the sizes of its text
    symbols (llvm-nm --print-size --demangle) inside a `tests` module or
    named for KUnit. An estimate: code shared with the tests counts as the
    driver's."""
    total = 0
    for line in nm_text.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4 and parts[2] in ("t", "T"):
            name = parts[3]
            if "::tests::" in name or "kunit" in name.lower():
                total += int(parts[1], 16)
    return total


def module_cost(proc_modules_line):
    """The size column of a /proc/modules line, and that rounded up to pages."""
    parts = proc_modules_line.split()
    size = int(parts[1])
    return {"name": parts[0], "size": size, "pages": math.ceil(size / PAGE),
            "page_rounded": math.ceil(size / PAGE) * PAGE}


# What a loaded module keeps per symbol for kallsyms (kernel/module/
# kallsyms.c): an Elf32_Sym and a type byte, besides the name and its NUL.
KALLSYMS_PER_SYMBOL = 16 + 1


def module_kallsyms(text):
    """"NAME SYMBOLS NAME_BYTES" (guest.sh, from /proc/kallsyms; the bytes
    count each name's NUL): (NAME, bytes the module's kallsyms copy holds).
    An estimate: /proc/kallsyms lists the symbols the module keeps."""
    parts = text.split()
    if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
        raise BenchError(f"bad module_kallsyms line: '{text}'")
    return parts[0], int(parts[1]) * KALLSYMS_PER_SYMBOL + int(parts[2])


def module_content(sections):
    """Bytes a module's loaded sections hold (SHF_ALLOC ones, by name),
    without .init sections, which are freed after init."""
    keep = (".text", ".rodata", ".data", ".bss", "__param", "__ksymtab", ".ARM.exidx",
            ".ARM.extab", "__bug_table", "__jump_table", "__ex_table", ".gnu.linkonce.this_module")
    return sum(v for k, v in sections.items()
               if k.startswith(keep) and ".init" not in k and ".exit" not in k)


def as_float(text):
    """A number the guest printed, or None (missing, or not a number)."""
    try:
        x = float(text)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def summarize(image, boots, sizes):
    """One image's results from its parsed boots and its sizes."""
    ev = {name: stats([b["events"].get(name) for b in boots]) for name, _ in EVENTS}
    vals = [b["values"] for b in boots]

    def num(key):
        return stats([as_float(v.get(key)) for v in vals])

    right = []
    wrong_for = []
    for b in boots:
        v = b["values"]
        base, first = v.get("rtc_base"), v.get("first_date")
        if base and first and base.isdigit() and first.isdigit():
            # A boot takes seconds; a clock hctosys did not set reads 1970.
            right.append(abs(int(first) - int(base)) < 3600)
        e = b["events"]
        if "hctosys" in e and e["hctosys"] > e["init"]:
            wrong_for.append(e["hctosys"] - e["init"])
        elif "hctosys" in e:
            wrong_for.append(0.0)
    modules = boots[0]["modules"] if boots else []
    return {
        "image": image,
        "boots": len(boots),
        "events_s": ev,
        "probe_us": stats([b["probe_us"] for b in boots]),
        "wall_s": stats([b.get("wall") for b in boots]),
        "clock_right_at_init": right,
        "wrong_clock_after_init_s": stats(wrong_for),
        "first_date": [b["values"].get("first_date") for b in boots],
        "ns_per_op": {op: num("ns_" + op) for op in ("getppid", "irqp_read", "rd_time", "set_time",
                                                      "alarm_read", "alarm_read_bracket")},
        "optime_ns": {op: stats([b["optime"].get(op) for b in boots])
                      for op, _ in OPTIME_OPS + OPTIME_BASELINES},
        "optime_norm": {op: stats([ratio(b["optime"].get(op), b["optime"].get(BASELINE_KERNEL))
                                   for b in boots]) for op, _ in OPTIME_OPS},
        "ns_norm": {op: stats([ratio(as_float(v.get("ns_" + op)),
                                     as_float(v.get("ns_" + BASELINE_USER))) for v in vals])
                    for op, _ in IOCTLS},
        "optime_failed": any("optime_failed" in v for v in vals),
        "meminfo_kib": {k: num("meminfo_" + k) for k in
                        ("MemTotal", "MemFree", "MemAvailable", "Slab", "SUnreclaim")},
        "memory_reserved_kib": stats([b["memory"]["reserved_kib"] for b in boots if b["memory"]]),
        "init_module": vals[0].get("init_module") if vals else None,
        "finit_module": vals[0].get("finit_module") if vals else None,
        "proc_modules": vals[0].get("proc_modules") if vals else None,
        "modules": [module_cost(m) for m in modules],
        "module_kallsyms_bytes": boots[0]["module_kallsyms"] if boots else {},
        "sys_module_parameter_files": vals[0].get("sys_module_parameter_files") if vals else None,
        "kallsyms_lines": vals[0].get("kallsyms_lines") if vals else None,
        "kallsyms_nonzero_addresses": vals[0].get("kallsyms_nonzero_addresses") if vals else None,
        "kptr_restrict": vals[0].get("kptr_restrict") if vals else None,
        "rtc_driver": vals[0].get("rtc_driver") if vals else None,
        "insmod": sorted({v["insmod"] for v in vals if "insmod" in v}),
        "insmod_failed": sorted({v["insmod_failed"] for v in vals if "insmod_failed" in v}),
        "sizes": sizes,
    }


def fmt(x, unit="", digits=3):
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:.{digits}f}{unit}"
    return f"{x:,}{unit}"


def mmm(s, scale=1.0, digits=3):
    """'median (min–max)' of a stats dict."""
    if not s:
        return "n/a"
    return (f"{s['median'] * scale:.{digits}f} "
            f"({s['min'] * scale:.{digits}f}–{s['max'] * scale:.{digits}f})")


def med(s):
    return s["median"] if s else None


def best(s):
    """The lowest value over the boots: what the ratios compare. The host
    is shared and its speed changes by half for seconds or whole boots at a
    time; that noise only ever adds time."""
    return s["min"] if s else None


def driver_share(r, op):
    """An ioctl's median cost minus that of RTC_IRQP_READ, which runs the
    same RTC core path without calling the driver."""
    a, b = best(r["ns_per_op"][op]), best(r["ns_per_op"]["irqp_read"])
    return None if a is None or b is None else a - b


def cost_ratios(a, b):
    """a/b of every cost both images measured, the driver's own ops (in the
    kernel) and the ioctls (in user space), each as the median over the
    boots of its quotient by the same boot's baseline: {label: ratio}."""
    out = {}
    for op, label in OPTIME_OPS:
        q = ratio(med(a["optime_norm"][op]), med(b["optime_norm"][op]))
        if q is not None:
            out[f"driver {label}"] = q
    for op, label in IOCTLS:
        q = ratio(med(a["ns_norm"][op]), med(b["ns_norm"][op]))
        if q is not None:
            out[label] = q
    return out


def static_twin(r):
    """The static image that differs from modular-rust only by the module:
    static-rust-v7 (the same Rust code generation), else static-rust."""
    for name in ("static-rust-v7", "static-rust"):
        if name in r:
            return name, r[name]
    return None, None


def driver_text(r):
    """The driver object's .text without its KUnit tests (C has none)."""
    d = r["sizes"].get("driver", {})
    return d.get("text_without_tests", d.get("text"))


def verdicts(r):
    """The issue's claims and targets, each with a verdict and the numbers
    behind it. r maps image name to its summary."""
    sr, mr, sc = r.get("static-rust"), r.get("modular-rust"), r.get("static-c")
    tw_name, tw = static_twin(r)
    out = []
    if sr and sc:
        out += rust_vs_c(sr, sc)
    if not (tw and mr):
        return out
    # 1. "there is no speed difference"
    q = cost_ratios(mr, tw)
    failed = ", ".join(mr["insmod_failed"])
    same = None
    if not q:
        out.append({
            "claim": "there is no speed difference (built-in vs module)",
            "verdict": "not measured",
            "numbers": f"the modular image has no RTC: insmod of {failed or 'the driver'} "
                       "failed, so it has no driver numbers",
        })
    else:
        same = all(abs(x - 1) <= 0.05 for x in q.values())
        # Beyond ±5% one way only is a difference; both ways, it is noise.
        slower = all(x >= 0.95 for x in q.values())
        faster = all(x <= 1.05 for x in q.values())
        verdict = ("confirmed" if same else "refuted" if slower or faster else "depends")
        out.append({
            "claim": "there is no speed difference (built-in vs module)",
            "verdict": verdict,
            "numbers": f"modular/{tw_name}: "
                       + ", ".join(f"{k} {v:.3f}" for k, v in q.items())
                       + " (each against its boot's baseline; within ±5% counts as no "
                       "difference; both have the same Rust code generation)"
                       + ("" if verdict != "depends" else
                          ". Beyond ±5% both ways: no consistent difference, but this run "
                          "cannot show one below that"),
        })
    # 2. "each module wastes about half a page"
    mods = mr["modules"]
    content = mr["sizes"].get("module_content_bytes")
    if not mods:
        out.append({
            "claim": "each module wastes about half a page",
            "verdict": "not measured",
            "numbers": f"no module was loaded (insmod of {failed or 'the driver'} failed); "
                       f"the .ko holds {fmt(content, ' B')} of loadable sections",
        })
    elif content:
        m = mods[0]
        syms = mr["module_kallsyms_bytes"].get(m["name"], 0)
        waste = m["size"] - content - syms
        half = PAGE // 2
        verdict = "confirmed" if abs(waste - half) <= half // 2 else "refuted"
        out.append({
            "claim": "each module wastes about half a page",
            "verdict": verdict,
            "numbers": f"{m['name']}: /proc/modules size {m['size']:,} B ({m['pages']} pages) "
                       f"= {content:,} B of loaded sections + {syms:,} B of its symbol table "
                       f"kept for kallsyms + {waste:,} B of page rounding "
                       f"({waste / PAGE:.2f} pages): each of its memory regions (text, "
                       "read-only data, data) is rounded up to whole pages on its own",
        })
    # 3. "kernel start went from 9 s to 1.5 s after moving drivers to modules"
    si, mi = med(tw["events_s"]["init"]), med(mr["events_s"]["init"])
    if si is not None and mi is not None:
        probe = med(tw["probe_us"])
        out.append({
            "claim": "moving drivers to modules took one user's kernel start from 9 s to 1.5 s",
            "verdict": "depends",
            "numbers": f"init starts at {si:.3f} s static ({tw_name}), {mi:.3f} s modular "
                       f"({(mi - si) * 1000:+.1f} ms); our driver's probe takes "
                       f"{fmt(probe, ' µs', 0)}. Modules only move slow probes out of the "
                       "kernel's start; the work still happens, after init",
        })
    # 4. static + no module loading "prevents run-time modification"
    st = sr or tw
    cfg = st["sizes"].get("config_runtime_code", {})
    others = ", ".join(f"{k}={v}" for k, v in sorted(cfg.items())) or "n/a"
    out.append({
        "claim": "a static kernel with module loading disabled prevents run-time "
                 "modification of the kernel code",
        "verdict": "depends" if st["init_module"] == "ENOSYS" else "refuted",
        "numbers": f"static: init_module {st['init_module']}, finit_module "
                   f"{st['finit_module']}, /proc/modules {st['proc_modules']}; modular: "
                   f"init_module {mr['init_module']}, finit_module {mr['finit_module']}. "
                   f"The module path is gone; other paths in this config: {others}",
    })
    # 5. vital drivers must be built in
    wrong = mr["wrong_clock_after_init_s"]
    right_static = all(st["clock_right_at_init"]) and st["clock_right_at_init"]
    right_mod = any(mr["clock_right_at_init"])
    out.append({
        "claim": "vital drivers must be built in or the system can't boot",
        "verdict": "depends",
        "numbers": f"the modular image boots all {mr['boots']} times, but init's first date "
                   f"is {'right' if right_mod else 'wrong (1970)'} there and "
                   f"{'right' if right_static else 'wrong'} in the static image; the modular "
                   "image runs with a wrong clock for "
                   + (f"{mmm(wrong, 1000, 1)} ms after init starts" if wrong else
                      "the whole run (its driver never loaded)")
                   + ". The RTC is not needed to boot; the root disk's drivers are "
                   "(no initramfs here)",
    })
    # 6. architectural decision, not a performance optimization
    zs, zm = tw["sizes"].get("zimage_bytes"), mr["sizes"].get("zimage_bytes")
    out.append({
        "claim": "built-in vs module is an architectural decision, not a performance "
                 "optimization",
        "verdict": "confirmed" if same else "depends",
        "numbers": ("run-time cost equal (above)" if same else
                    "run-time cost not measured (the module did not load)" if same is None
                    else "run-time cost differs (above)")
                   + "; what differs is behaviour and exposure: "
                   f"clock right at init (static) or not (modular), module syscalls "
                   f"{st['init_module']} vs {mr['init_module']}, zImage "
                   f"{fmt(zs, ' B')} ({tw_name}) vs {fmt(zm, ' B')}",
    })
    return out


def rust_vs_c(sr, sc):
    """The issue's Rust vs C targets: ≤ 1.02 on the driver's own ops and on
    the ioctls, ≤ 1.5 on the driver's .text without its KUnit tests."""
    q = cost_ratios(sr, sc)
    costs = [(f"driver {label}", f"the driver's {label}", "per call, in the kernel",
              sr["optime_ns"][op], sc["optime_ns"][op], BASELINE_KERNEL)
             for op, label in OPTIME_OPS]
    costs += [(label, label, "per ioctl", sr["ns_per_op"][op], sc["ns_per_op"][op],
               BASELINE_USER) for op, label in IOCTLS]
    out = []
    for key, what, unit, rust, c, base in costs:
        if key in q:
            out.append({
                "claim": f"target: Rust/C ≤ 1.02 on {what}",
                "verdict": "met" if q[key] <= 1.02 else "missed",
                "numbers": f"ratio {q[key]:.3f}, each boot's cost against its {base} "
                           f"(best boots: Rust {best(rust):.0f} ns, C {best(c):.0f} ns {unit})",
            })
    q = ratio(driver_text(sr), driver_text(sc))
    if q is not None:
        out.append({
            "claim": "target: the driver's .text without its KUnit tests ≤ 1.5 × C's",
            "verdict": "met" if q <= 1.5 else "missed",
            "numbers": f"Rust {driver_text(sr):,} B, C {driver_text(sc):,} B: ratio {q:.2f}",
        })
    return out


def report_md(results, claims, machine):
    """report.md's text."""
    names = list(results)
    lines = ["# make bench: static vs modular, Rust vs C", "",
             f"Machine: {machine}. Boots per image: "
             + ", ".join(f"{n} {results[n]['boots']}" for n in names)
             + ". Values are median (min–max) over the boots of one interleaved run.", ""]
    for n in names:
        flags = results[n]["sizes"].get("rustflags")
        if flags:
            lines += [f"{n}: all of its Rust code, the kernel crate included, is built with "
                      f"`{flags}`: Thumb-2 for an ARMv7 core, as the C code is. The product's "
                      "Rust is ARM-mode code for the ARMv6 baseline target "
                      "(arm-unknown-linux-gnueabi), as mainline builds it.", ""]
        if n == "modular-rust":
            lines += [f"{n}: with the product's code generation this Thumb-2 kernel's module "
                      "loader refuses the module (\"unsupported interworking call (ARM -> "
                      "Thumb)\"; the vmlinux link fixes such calls up, the module loader "
                      "does not), so the modular image uses the v7 code generation and its "
                      "static twin is static-rust-v7.", ""]
        if results[n]["insmod_failed"]:
            lines += [f"{n}: init's insmod of {', '.join(results[n]['insmod_failed'])} "
                      "FAILED (see its boot logs): this image has no RTC and its clock stays "
                      "wrong; its driver columns are empty.", ""]
        if results[n]["optime_failed"]:
            lines += [f"{n}: the in-kernel op timer failed or is missing (see its boot "
                      "logs).", ""]
    head = "| | " + " | ".join(names) + " |"
    sep = "|---" * (len(names) + 1) + "|"

    def row(label, cell):
        return f"| {label} | " + " | ".join(cell(results[n]) for n in names) + " |"

    lines += ["## Boot timeline (printk time, s)", "", head, sep]
    for key, label in EVENTS:
        lines.append(row(label, lambda r, key=key: mmm(r["events_s"][key])))
    lines.append(row("probe duration (µs, initcall_debug)", lambda r: mmm(r["probe_us"], 1, 0)))
    lines.append(row("QEMU wall time, boot to power-off (s)", lambda r: mmm(r["wall_s"], 1, 2)))
    lines.append(row("clock right at init's first line",
                     lambda r: f"{sum(r['clock_right_at_init'])}/{len(r['clock_right_at_init'])}"))
    lines.append(row("module loaded by init (insmod)",
                     lambda r: ", ".join(r["insmod"] + [f"{m} FAILED" for m in r["insmod_failed"]])
                     or "none"))
    lines.append(row("wrong clock after init starts (ms)",
                     lambda r: mmm(r["wrong_clock_after_init_s"], 1000, 1)))
    lines += ["", "## In-guest cost per call (ns; best of the rounds in each boot)", "",
              head, sep]
    for op, label in (("getppid", "getppid (bare syscall)"),
                      ("irqp_read", "RTC_IRQP_READ (RTC core only)"),
                      ("rd_time", "RTC_RD_TIME (driver read_time)"),
                      ("set_time", "RTC_SET_TIME (driver set_time)")):
        lines.append(row(label, lambda r, op=op: mmm(r["ns_per_op"][op], 1, 0)))
    lines.append(row("alarm: read() wakes after the alarm fires (best of 3 alarms)",
                     lambda r: mmm(r["ns_per_op"]["alarm_read"], 1, 0)))
    lines.append(row("± (half the RTC_WKALM_SET ioctl that wrote the alarm)",
                     lambda r: mmm(r["ns_per_op"]["alarm_read_bracket"], 1, 0)))
    lines += ["", "## In-kernel cost of the driver's own ops (ns per call; fastest chunk "
              "in each boot)", "",
              "Called through the driver's rtc_class_ops with ops_lock held, as the RTC "
              "core calls them, by the bench-only timer (bench/kernel/): chunks of 500 "
              "calls of each op in turn.", "", head, sep]
    for op, label in OPTIME_OPS + OPTIME_BASELINES:
        lines.append(row(label, lambda r, op=op: mmm(r["optime_ns"][op], 1, 0)))
    lines += ["", "## Size and memory", "", head, sep]
    lines.append(row("zImage (B)", lambda r: fmt(r["sizes"].get("zimage_bytes"))))
    lines.append(row("modules in the rootfs (B)",
                     lambda r: fmt(r["sizes"].get("module_payload_bytes"))))
    lines.append(row("boot payload: zImage + modules (B)",
                     lambda r: fmt(r["sizes"].get("zimage_bytes", 0)
                                   + r["sizes"].get("module_payload_bytes", 0))))
    for sec in (".text", ".rodata", ".data", ".bss"):
        lines.append(row(f"vmlinux {sec} (B)",
                         lambda r, sec=sec: fmt(r["sizes"].get("vmlinux", {}).get(sec))))
    for part in ("text", "text_tests", "text_without_tests", "rodata", "data", "bss"):
        lines.append(row(f"driver object {part} (B)",
                         lambda r, part=part: fmt(r["sizes"].get("driver", {}).get(part))))
    for k in ("MemTotal", "MemAvailable", "Slab", "SUnreclaim"):
        lines.append(row(f"{k} (KiB)", lambda r, k=k: mmm(r["meminfo_kib"][k], 1, 0)))
    lines.append(row("kernel reserved memory (KiB, 'Memory:' line)",
                     lambda r: mmm(r["memory_reserved_kib"], 1, 0)))
    lines.append(row("loaded modules' symbol tables kept for kallsyms (B, estimate)",
                     lambda r: ", ".join(f"{k} {v:,}" for k, v in
                                         r["module_kallsyms_bytes"].items()) or "none"))
    lines.append(row("loaded modules (/proc/modules size, page-rounded)",
                     lambda r: ", ".join(f"{m['name']} {m['size']:,} B = {m['pages']} pages"
                                         for m in r["modules"]) or "none"))
    lines += ["", "## Attack surface", "", head, sep]
    for key, label in (("init_module", "init_module()"), ("finit_module", "finit_module()"),
                       ("proc_modules", "/proc/modules exists"),
                       ("sys_module_parameter_files", "/sys/module/*/parameters files"),
                       ("kallsyms_lines", "/proc/kallsyms lines"),
                       ("kallsyms_nonzero_addresses", "kallsyms lines with addresses (root)"),
                       ("kptr_restrict", "kptr_restrict")):
        lines.append(row(label, lambda r, key=key: str(r.get(key))))
    lines.append(row("exported symbols (__ksymtab entries)",
                     lambda r: fmt(r["sizes"].get("exported_symbols"))))
    lines += ["", "## Ratios from this run", "",
              "The host is shared: its speed changes by half for seconds or whole boots at a "
              "time. So a cost is divided by a baseline the same boot timed beside it, the same "
              "code in every image (rtc_time64_to_tm() in the kernel, getppid in user space), "
              "and the driver and ioctl ratios compare the medians of these quotients. The "
              "other ratios compare each image's best (lowest) value over its boots, and the "
              "baselines' own ratios show how far apart the images' host speeds were.", ""]
    sr, mr, sc, v7 = (results.get(n) for n in
                      ("static-rust", "modular-rust", "static-c", "static-rust-v7"))
    for a, b, what in ((sr, sc, "Rust/C (static-rust/static-c)"),
                       (v7, sc, "Rust v7/C (static-rust-v7/static-c)"),
                       (v7, sr, "v7/product code generation (static-rust-v7/static-rust)"),
                       (mr, v7, "modular/static (modular-rust/static-rust-v7)")):
        if not (a and b):
            continue
        q = cost_ratios(a, b)
        q["alarm read() latency"] = ratio(best(a["ns_per_op"]["alarm_read"]),
                                          best(b["ns_per_op"]["alarm_read"]))
        q["baseline getppid (best)"] = ratio(best(a["ns_per_op"]["getppid"]),
                                             best(b["ns_per_op"]["getppid"]))
        q["baseline rtc_time64_to_tm (best)"] = ratio(
            best(a["optime_ns"][BASELINE_KERNEL]), best(b["optime_ns"][BASELINE_KERNEL]))
        q["driver .text without KUnit tests"] = ratio(driver_text(a), driver_text(b))
        q["zImage"] = ratio(a["sizes"].get("zimage_bytes"), b["sizes"].get("zimage_bytes"))
        q["init start"] = ratio(best(a["events_s"]["init"]), best(b["events_s"]["init"]))
        lines.append(f"- {what}: " + ", ".join(f"{k} {fmt(v)}" for k, v in q.items()))
    if sr and sc:
        for op in ("rd_time", "set_time"):
            rs, cs = driver_share(sr, op), driver_share(sc, op)
            lines.append(f"- the driver's share of {op} (ioctl minus the core-only "
                         f"RTC_IRQP_READ): Rust {fmt(rs, ' ns', 0)}, C {fmt(cs, ' ns', 0)}, "
                         f"ratio {fmt(ratio(rs, cs))}")
    lines += ["", "## Claims", "", "| claim | verdict | numbers |", "|---|---|---|"]
    for c in claims:
        lines.append(f"| {c['claim']} | **{c['verdict']}** | {c['numbers']} |")
    lines += ["", "Plots: boot-timeline.svg, sizes.svg, ops.svg. Machine-readable: "
              "results.json.", ""]
    return "\n".join(lines)


def plot(results, outdir):
    """boot-timeline.svg and sizes.svg, with matplotlib."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results)
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.9 * len(names)))
    markers = "os^Dv"
    for i, (key, label) in enumerate(EVENTS):
        for y, n in enumerate(names):
            s = results[n]["events_s"][key]
            if not s:
                continue
            ax.errorbar([s["median"]], [y], xerr=[[s["median"] - s["min"]], [s["max"] - s["median"]]],
                        fmt=markers[i], color=f"C{i}", capsize=3, label=label if y == 0 or
                        key not in [k for k, _ in EVENTS[:i]] else None)
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    ax.legend(uniq.values(), uniq.keys(), fontsize=8, loc="lower right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("printk time (s), median with min–max")
    ax.set_title("Boot timeline per image")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(outdir / "boot-timeline.svg")
    plt.close(fig)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    zs = [results[n]["sizes"].get("zimage_bytes", 0) / 1024 for n in names]
    mods = [results[n]["sizes"].get("module_payload_bytes", 0) / 1024 for n in names]
    a1.bar(names, zs, label="zImage")
    a1.bar(names, mods, bottom=zs, label="modules in rootfs")
    a1.set_ylabel("KiB")
    a1.set_title("Boot payload")
    a1.legend(fontsize=8)
    parts = ["text", "rodata", "data", "bss"]
    drivers = [n for n in names if results[n]["sizes"].get("driver")]
    bottom = [0] * len(drivers)
    for p in parts:
        vals = [results[n]["sizes"]["driver"].get(p, 0) for n in drivers]
        a2.bar(drivers, vals, bottom=bottom, label=p)
        bottom = [b + v for b, v in zip(bottom, vals)]
    a2.set_ylabel("bytes")
    a2.set_title("Driver object (Rust with its KUnit tests)")
    a2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(outdir / "sizes.svg")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / max(len(names), 1)
    for i, n in enumerate(names):
        meds = [med(results[n]["optime_ns"][op]) or 0 for op, _ in OPTIME_OPS]
        lo = [m - (results[n]["optime_ns"][op] or {"min": m})["min"]
              for m, (op, _) in zip(meds, OPTIME_OPS)]
        hi = [(results[n]["optime_ns"][op] or {"max": m})["max"] - m
              for m, (op, _) in zip(meds, OPTIME_OPS)]
        ax.bar([k + i * width for k in range(len(OPTIME_OPS))], meds, width,
               yerr=[lo, hi], capsize=3, label=n)
    ax.set_xticks([k + width * (len(names) - 1) / 2 for k in range(len(OPTIME_OPS))],
                  [label for _, label in OPTIME_OPS])
    ax.set_ylabel("ns per call, median with min–max")
    ax.set_title("The driver's own ops, timed in the kernel")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(outdir / "ops.svg")
    plt.close(fig)


RUNTIME_CODE_OPTIONS = ("CONFIG_DEVMEM", "CONFIG_KPROBES", "CONFIG_BPF_SYSCALL",
                        "CONFIG_KEXEC", "CONFIG_FTRACE", "CONFIG_STRICT_KERNEL_RWX",
                        "CONFIG_MODULES")


def config_options(text, names=RUNTIME_CODE_OPTIONS):
    """y/m/n of each option in a .config."""
    out = {}
    for name in names:
        m = re.search(rf"^{name}=(\S+)$", text, re.M)
        out[name] = m.group(1) if m else "n"
    return out


def load_image(bench, name):
    raw = bench / "raw" / name
    if not raw.is_dir():
        raise BenchError(f"no {raw}")
    sizes = parse_env((raw / "sizes.env").read_text())
    sizes["vmlinux"] = parse_sections((raw / "vmlinux-sections.txt").read_text())
    drv = raw / "driver-sections.txt"
    if drv.exists():
        sizes["driver"] = object_size(parse_sections(drv.read_text()))
        syms = raw / "driver-symbols.txt"
        if syms.exists():
            tests = test_text_bytes(syms.read_text())
            sizes["driver"]["text_tests"] = tests
            sizes["driver"]["text_without_tests"] = sizes["driver"]["text"] - tests
    mod = raw / "module-sections.txt"
    if mod.exists():
        sizes["module_content_bytes"] = module_content(parse_sections(mod.read_text()))
    sizes["config_runtime_code"] = config_options((raw / "config").read_text())
    boots = []
    for log in sorted(raw.glob("boot-*.log"), key=lambda p: int(p.stem.split("-")[1])):
        try:
            b = parse_boot(log.read_text(errors="replace"))
        except BenchError as e:
            raise BenchError(f"{log}: {e}") from None
        wall = log.with_suffix(".wall")
        b["wall"] = float(wall.read_text()) if wall.exists() else None
        boots.append(b)
    if not boots:
        raise BenchError(f"no boot logs in {raw}")
    return summarize(name, boots, sizes)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", required=True, type=Path)
    ap.add_argument("--machine", required=True)
    ap.add_argument("--images", required=True, nargs="+")
    args = ap.parse_args(argv)
    try:
        results = {n: load_image(args.bench, n) for n in args.images}
    except (BenchError, OSError) as e:
        print(f"bench: error: {e}", file=sys.stderr)
        return 1
    claims = verdicts(results)
    (args.bench / "results.json").write_text(json.dumps(
        {"machine": args.machine, "images": results, "claims": claims}, indent=1) + "\n")
    (args.bench / "report.md").write_text(report_md(results, claims, args.machine))
    plot(results, args.bench)
    print(f"bench: wrote {args.bench}/report.md, results.json, boot-timeline.svg, sizes.svg, "
          "ops.svg")
    for c in claims:
        print(f"bench: {c['verdict']:9} {c['claim']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
