# SPDX-License-Identifier: GPL-2.0
"""Unit tests of bench/analyze.py: printk parsing, statistics, sizes and the
report, on captured-style logs. No kernel, no QEMU, and no test asserts a
measured time: the times here are inputs. Run: make bench-selftest."""

import contextlib
import importlib.util
import io
import json
import tempfile
import unittest
from pathlib import Path

import analyze

STATIC_BOOT = """\
Booting Linux on physical CPU 0x0
bench: first_date=1893456002 first_uptime=1.20
bench: rtc_base=1893456000
bench: meminfo_MemTotal=247000
bench: meminfo_MemAvailable=230000
bench: meminfo_Slab=5000
bench: meminfo_SUnreclaim=3000
bench: init_module=ENOSYS
bench: finit_module=ENOSYS
bench: proc_modules=no
bench: kallsyms_lines=30000
bench: ns_getppid=14000
bench: ns_irqp_read=17000
bench: ns_rd_time=21000
bench: ns_set_time=70000
bench: ns_alarm_read=-1200
bench: ns_alarm_read_bracket=30000 alarm_rounds=3
bench: optime calls=1000 read_time_ns=3000000 set_time_ns=5000000 read_alarm_ns=4000000 devres_miss_ns=600000 time64_to_tm_ns=1000000
bench: optime calls=1000 read_time_ns=2500000 set_time_ns=5200000 read_alarm_ns=-1 time64_to_tm_ns=1100000
bench-dmesg: [    0.000000] Booting Linux on physical CPU 0x0
bench-dmesg: [    0.124525] Memory: 252504K/262144K available (3072K kernel code, 498K rwdata, 828K rodata, 1024K init, 172K bss, 9152K reserved, 0K cma-reserved)
bench-dmesg: [    0.600000] calling  pl031_driver_init+0x0/0x1000 @ 1
bench-dmesg: [    0.605000] rtc-pl031 9010000.pl031: registered as rtc0
bench-dmesg: [    0.611985] rtc-pl031 9010000.pl031: setting system clock to 2030-01-01T00:00:01 UTC (1893456001)
bench-dmesg: [    0.612000] probe of 9010000.pl031 returned 0 after 1234 usecs
bench-dmesg: [    0.695302] ok 1 rust_rtc
bench-dmesg: [    0.700000]     ok 1 some_case
bench-dmesg: [    0.965414] ok 5 rtc_pl031_rust
bench-dmesg: [    1.114097] Run /sbin/init as init process
bench: done
"""

MODULAR_BOOT = """\
bench: first_date=2 first_uptime=1.30
bench: insmod=rtc_pl031_rust
bench: rtc_base=1893456000
bench: init_module=ENOEXEC
bench: finit_module=EBADF
bench: proc_modules=yes
bench: module=rtc_pl031_rust 16384 0 - Live 0x7f000000
bench: module_kallsyms=rtc_pl031_rust 10 300
bench: ns_getppid=14000
bench: ns_rd_time=21500
bench: ns_set_time=70500
bench: ns_alarm_read=85000
bench: ns_alarm_read_bracket=31000 alarm_rounds=3
bench: optime calls=1000 read_time_ns=2550000 set_time_ns=5100000 read_alarm_ns=4050000 time64_to_tm_ns=1000000
bench-dmesg: [    0.124525] Memory: 252000K/262144K available (3100K kernel code, 9200K reserved, 0K cma-reserved)
bench-dmesg: [    0.900000] ok 4 rust_doctests_kernel
bench-dmesg: [    1.100000] Run /sbin/init as init process
bench-dmesg: [    1.400000] rtc-pl031 9010000.pl031: registered as rtc0
bench-dmesg: [    1.410000] rtc-pl031 9010000.pl031: setting system clock to 2030-01-01T00:00:01 UTC (1893456001)
bench-dmesg: [    1.411000] probe of 9010000.pl031 returned 0 after 2000 usecs
bench-dmesg: [    1.500000] ok 5 rtc_pl031_rust
bench: done
"""


class PrintkTest(unittest.TestCase):
    def test_parses_timestamp_and_message(self):
        self.assertEqual(analyze.parse_printk("[    1.114097] Run /sbin/init as init process"),
                         (1.114097, "Run /sbin/init as init process"))

    def test_parses_a_large_timestamp(self):
        self.assertEqual(analyze.parse_printk("[12345.000001] x"), (12345.000001, "x"))

    def test_rejects_a_line_without_timestamp(self):
        self.assertIsNone(analyze.parse_printk("init: first date 2030-01-01"))
        self.assertIsNone(analyze.parse_printk("[ abc] x"))


class OptimeTest(unittest.TestCase):
    def test_parses_totals_into_ns_per_call(self):
        self.assertEqual(analyze.parse_optime(
            "calls=1000 read_time_ns=2500000 set_time_ns=5000000 read_alarm_ns=4000000"),
            {"calls": 1000, "read_time": 2500.0, "set_time": 5000.0, "read_alarm": 4000.0,
             "devres_miss": None, "time64_to_tm": None})

    def test_an_op_the_driver_lacks_is_none(self):
        self.assertIsNone(analyze.parse_optime(
            "calls=10 read_time_ns=100 set_time_ns=-1 read_alarm_ns=50")["set_time"])

    def test_a_bad_line_is_an_error_quoting_it(self):
        for bad in ("calls=10 read_time_ns=100", "calls=0 read_time_ns=1 set_time_ns=1 "
                    "read_alarm_ns=1", "calls=x read_time_ns=1 set_time_ns=1 read_alarm_ns=1"):
            with self.assertRaisesRegex(analyze.BenchError, "op timer line"):
                analyze.parse_optime(bad)

    def test_the_devres_baseline_is_optional(self):
        line = "calls=1000 read_time_ns=1 set_time_ns=1 read_alarm_ns=1"
        self.assertIsNone(analyze.parse_optime(line)["devres_miss"])
        self.assertEqual(analyze.parse_optime(line + " devres_miss_ns=5000")["devres_miss"], 5.0)

    def test_module_kallsyms_counts_symbols_and_names(self):
        self.assertEqual(analyze.module_kallsyms("rtc_pl031_rust 10 300"),
                         ("rtc_pl031_rust", 470))
        with self.assertRaisesRegex(analyze.BenchError, "module_kallsyms"):
            analyze.module_kallsyms("rtc_pl031_rust 10")

    def test_a_boot_keeps_the_best_round_of_each_op(self):
        b = analyze.parse_boot(STATIC_BOOT)
        # read_time from round 2, set_time from round 1, read_alarm only in round 1.
        self.assertEqual(b["optime"], {"read_time": 2500.0, "set_time": 5000.0,
                                       "read_alarm": 4000.0, "devres_miss": 600.0,
                                       "time64_to_tm": 1000.0})
        self.assertNotIn("calls", b["values"])


class BootTest(unittest.TestCase):
    def test_static_boot_events(self):
        b = analyze.parse_boot(STATIC_BOOT)
        e = b["events"]
        self.assertEqual(e["rtc_registered"], 0.605)
        self.assertEqual(e["hctosys"], 0.611985)
        self.assertEqual(e["probe"], 0.612)
        self.assertEqual(b["probe_us"], 1234)
        self.assertEqual(e["init"], 1.114097)
        self.assertEqual(b["memory"], {"available_kib": 252504, "total_kib": 262144,
                                       "reserved_kib": 9152})
        self.assertEqual(b["values"]["init_module"], "ENOSYS")
        self.assertEqual(b["modules"], [])

    def test_kunit_end_is_the_last_top_level_result(self):
        # The indented subtest at 0.700 and nothing after init count.
        self.assertEqual(analyze.parse_boot(STATIC_BOOT)["events"]["kunit_end"], 0.965414)

    def test_modular_kunit_end_ignores_the_module_suite_after_init(self):
        b = analyze.parse_boot(MODULAR_BOOT)
        self.assertEqual(b["events"]["kunit_end"], 0.9)
        self.assertEqual(b["events"]["hctosys"], 1.41)
        self.assertEqual(b["modules"], ["rtc_pl031_rust 16384 0 - Live 0x7f000000"])
        self.assertEqual(b["values"]["insmod"], "rtc_pl031_rust")

    def test_console_lines_without_prefix_are_ignored(self):
        # Console output is not the guest's dmesg dump: no events from it.
        text = "[    1.0] Run /sbin/init as init process\nbench-dmesg: [    0.5] x\n"
        with self.assertRaisesRegex(analyze.BenchError, "Run /sbin/init"):
            analyze.parse_boot(text)

    def test_a_log_without_kernel_lines_is_an_error(self):
        with self.assertRaisesRegex(analyze.BenchError, "no kernel log"):
            analyze.parse_boot("bench: first_date=1\n")

    def test_a_truncated_log_without_init_is_an_error(self):
        cut = STATIC_BOOT.split("bench-dmesg: [    1.114097]")[0]
        with self.assertRaisesRegex(analyze.BenchError, "Run /sbin/init"):
            analyze.parse_boot(cut)


class StatsTest(unittest.TestCase):
    def test_min_median_max(self):
        self.assertEqual(analyze.stats([3, 1, 2]), {"min": 1, "median": 2, "max": 3, "n": 3})

    def test_even_count_median_is_the_mean_of_the_middle_two(self):
        self.assertEqual(analyze.stats([4, 1, 2, 3])["median"], 2.5)

    def test_missing_values_are_left_out(self):
        self.assertEqual(analyze.stats([None, 5])["n"], 1)
        self.assertIsNone(analyze.stats([None]))

    def test_ratio(self):
        self.assertEqual(analyze.ratio(3, 2), 1.5)
        self.assertIsNone(analyze.ratio(1, 0))
        self.assertIsNone(analyze.ratio(None, 2))


class SizesTest(unittest.TestCase):
    SIZE_A = """\
drivers/rtc/rtc-pl031.o  :
section               size   addr
.text                 1613      0
.rodata                200      0
.data                   64      0
.bss                     8      0
.ARM.exidx.text        100      0
Total                 1985
"""

    def test_llvm_size_sections(self):
        s = analyze.parse_sections(self.SIZE_A)
        self.assertEqual(s[".text"], 1613)
        self.assertNotIn("Total", s)
        self.assertEqual(analyze.object_size(s), {"text": 1613, "rodata": 200, "data": 64, "bss": 8})

    def test_module_cost_rounds_up_to_pages(self):
        c = analyze.module_cost("rtc_pl031_rust 12289 0 - Live 0x7f000000")
        self.assertEqual((c["size"], c["pages"], c["page_rounded"]), (12289, 4, 16384))

    def test_module_content_leaves_out_init_sections(self):
        s = {".text": 1000, ".init.text": 500, ".data": 10, ".exit.text": 7, ".comment": 99}
        self.assertEqual(analyze.module_content(s), 1010)

    def test_test_text_counts_only_test_code(self):
        nm = ("00000000 00000100 t rtc_pl031_rust::tests::set_time_rejects\n"
              "00000100 00000020 T kunit_rtc_pl031_rust_init\n"
              "00000120 00000400 t <rtc_pl031_rust::Pl031 as kernel::rtc::Ops>::read_time\n"
              "00000000 00000010 d rtc_pl031_rust::tests::DATA\n")
        self.assertEqual(analyze.test_text_bytes(nm), 0x120)

    def test_env_repeated_keys_become_a_list(self):
        self.assertEqual(analyze.parse_env("a=1\nb=x\na=2\n"), {"a": [1, 2], "b": "x"})

    def test_config_options(self):
        cfg = "CONFIG_DEVMEM=y\n# CONFIG_KPROBES is not set\nCONFIG_MODULES=y\n"
        opts = analyze.config_options(cfg)
        self.assertEqual((opts["CONFIG_DEVMEM"], opts["CONFIG_KPROBES"]), ("y", "n"))


def summaries():
    s = analyze.parse_boot(STATIC_BOOT)
    m = analyze.parse_boot(MODULAR_BOOT)
    c = analyze.parse_boot(STATIC_BOOT.replace("ns_rd_time=21000", "ns_rd_time=20000")
                           .replace("read_time_ns=2500000", "read_time_ns=2400000"))
    sizes_s = {"zimage_bytes": 5000000, "driver": {"text": 22000, "rodata": 1, "data": 2, "bss": 0},
               "config_runtime_code": {"CONFIG_DEVMEM": "y"}}
    sizes_m = {"zimage_bytes": 5100000, "module_payload_bytes": 30000,
               "module_content_bytes": 14000}
    sizes_c = {"zimage_bytes": 4990000, "driver": {"text": 1613, "rodata": 1, "data": 2, "bss": 0}}
    return {"static-rust": analyze.summarize("static-rust", [s, s], sizes_s),
            "modular-rust": analyze.summarize("modular-rust", [m], sizes_m),
            "static-c": analyze.summarize("static-c", [c], sizes_c)}


class ReportTest(unittest.TestCase):
    def test_clock_right_only_when_hctosys_ran_before_init(self):
        r = summaries()
        self.assertEqual(r["static-rust"]["clock_right_at_init"], [True, True])
        self.assertEqual(r["modular-rust"]["clock_right_at_init"], [False])
        self.assertAlmostEqual(r["modular-rust"]["wrong_clock_after_init_s"]["median"], 0.31)
        self.assertEqual(r["static-rust"]["wrong_clock_after_init_s"]["max"], 0.0)

    def test_verdicts_follow_the_numbers(self):
        v = {c["claim"]: c for c in analyze.verdicts(summaries())}
        self.assertEqual(v["there is no speed difference (built-in vs module)"]["verdict"],
                         "confirmed")
        # 16384 B for 14000 B of sections and 10 * 17 + 300 B of kallsyms:
        # 1914 B of page rounding, about half a page.
        half = v["each module wastes about half a page"]
        self.assertEqual(half["verdict"], "confirmed")
        self.assertIn("+ 470 B of its symbol table", half["numbers"])
        self.assertIn("+ 1,914 B of page rounding", half["numbers"])
        self.assertEqual(v["target: Rust/C ≤ 1.02 on RTC_RD_TIME"]["verdict"], "missed")
        self.assertEqual(v["target: Rust/C ≤ 1.02 on RTC_SET_TIME"]["verdict"], "met")
        # In the kernel: read_time 2500 ns against 2400 ns, set_time 5000 against 5000.
        rt = v["target: Rust/C ≤ 1.02 on the driver's read_time"]
        self.assertEqual(rt["verdict"], "missed")
        self.assertIn("ratio 1.042", rt["numbers"])
        self.assertEqual(v["target: Rust/C ≤ 1.02 on the driver's set_time"]["verdict"], "met")
        self.assertEqual(v["target: the driver's .text without its KUnit tests ≤ 1.5 × C's"]
                         ["verdict"], "missed")

    def test_ratios_divide_each_boot_by_its_baseline(self):
        r = summaries()
        # Two boots on a host at half speed: every time doubles, the baseline too.
        slow = analyze.parse_boot(STATIC_BOOT.replace("read_time_ns=2500000",
                                                      "read_time_ns=5000000")
                                  .replace("read_time_ns=3000000", "read_time_ns=6000000")
                                  .replace("time64_to_tm_ns=1000000", "time64_to_tm_ns=2000000")
                                  .replace("time64_to_tm_ns=1100000", "time64_to_tm_ns=2200000")
                                  .replace("ns_rd_time=21000", "ns_rd_time=42000")
                                  .replace("ns_getppid=14000", "ns_getppid=28000"))
        s = analyze.parse_boot(STATIC_BOOT)
        r["static-rust"] = analyze.summarize("static-rust", [s, slow, slow], {})
        self.assertEqual(r["static-rust"]["optime_ns"]["read_time"]["median"], 5000.0)
        v = {c["claim"]: c for c in analyze.verdicts(r)}
        self.assertIn("ratio 1.042", v["target: Rust/C ≤ 1.02 on the driver's read_time"]
                      ["numbers"])
        self.assertIn("ratio 1.050", v["target: Rust/C ≤ 1.02 on RTC_RD_TIME"]["numbers"])
        # Without the baseline, the slow boots would have made it 2.083.
        self.assertNotIn("2.083", v["target: Rust/C ≤ 1.02 on the driver's read_time"]
                         ["numbers"])

    def test_differences_both_ways_are_not_a_verdict(self):
        r = summaries()
        r["modular-rust"]["ns_norm"]["rd_time"] = analyze.stats([30000 / 14000])
        r["modular-rust"]["optime_norm"]["set_time"] = analyze.stats([4.0])
        v = {c["claim"]: c for c in analyze.verdicts(r)}
        speed = v["there is no speed difference (built-in vs module)"]
        self.assertEqual(speed["verdict"], "depends")
        self.assertIn("no consistent difference", speed["numbers"])

    def test_the_module_is_compared_with_its_static_twin(self):
        r = summaries()
        speed = "there is no speed difference (built-in vs module)"
        # A v7 image 10% faster than the module: the module is slower than its twin.
        v7 = analyze.parse_boot(STATIC_BOOT.replace("read_time_ns=2500000",
                                                    "read_time_ns=2300000"))
        r["static-rust-v7"] = analyze.summarize("static-rust-v7", [v7], {})
        c = {c["claim"]: c for c in analyze.verdicts(r)}[speed]
        self.assertEqual(c["verdict"], "refuted")
        self.assertIn("modular/static-rust-v7: driver read_time 1.109", c["numbers"])
        del r["static-rust-v7"]
        c = {c["claim"]: c for c in analyze.verdicts(r)}[speed]
        self.assertEqual(c["verdict"], "confirmed")
        self.assertIn("modular/static-rust:", c["numbers"])

    def test_a_slower_module_refutes_no_speed_difference(self):
        r = summaries()
        r["modular-rust"]["ns_norm"]["rd_time"] = analyze.stats([30000 / 14000])
        v = {c["claim"]: c["verdict"] for c in analyze.verdicts(r)}
        self.assertEqual(v["there is no speed difference (built-in vs module)"], "refuted")

    def test_a_module_that_did_not_load_is_not_measured(self):
        r = summaries()
        text = (MODULAR_BOOT.replace("insmod=", "insmod_failed=")
                .replace("bench: module=rtc_pl031_rust 16384 0 - Live 0x7f000000\n", "")
                .replace("bench: ns_rd_time=21500\n", "")
                .replace("bench: ns_set_time=70500\n", ""))
        text = "\n".join(line for line in text.splitlines() if "optime" not in line)
        text = "\n".join(line for line in text.splitlines()
                         if "rtc0" not in line and "system clock" not in line
                         and "probe of" not in line)
        r["modular-rust"] = analyze.summarize("modular-rust", [analyze.parse_boot(text)],
                                              {"module_content_bytes": 14000})
        v = {c["claim"]: c for c in analyze.verdicts(r)}
        self.assertEqual(v["there is no speed difference (built-in vs module)"]["verdict"],
                         "not measured")
        self.assertEqual(v["each module wastes about half a page"]["verdict"], "not measured")
        self.assertIn("the whole run", v["vital drivers must be built in or the system can't boot"]
                      ["numbers"])
        md = analyze.report_md(r, analyze.verdicts(r), "m")
        self.assertIn("rtc_pl031_rust FAILED", md)

    def test_guest_numbers_keep_their_sign_and_drop_garbage(self):
        self.assertEqual([analyze.as_float(x) for x in ("-1200", "3.5", "nan", "x", None)],
                         [-1200.0, 3.5, None, None, None])
        r = summaries()
        # An alarm latency below the bracket's middle is negative, not missing.
        self.assertEqual(r["static-rust"]["ns_per_op"]["alarm_read"]["median"], -1200.0)
        self.assertEqual(r["modular-rust"]["ns_per_op"]["alarm_read_bracket"]["max"], 31000.0)

    def test_report_has_every_image_and_claim(self):
        r = summaries()
        claims = analyze.verdicts(r)
        md = analyze.report_md(r, claims, "test machine")
        self.assertIn("| | static-rust | modular-rust | static-c |", md)
        self.assertIn("test machine", md)
        for c in claims:
            self.assertIn(c["claim"], md)
        self.assertIn("| clock right at init's first line | 2/2 | 0/1 | 1/1 |", md)
        self.assertIn("- Rust/C (static-rust/static-c): driver read_time 1.042, "
                      "driver set_time 1.000, driver read_alarm 1.000, RTC_RD_TIME 1.050", md)
        self.assertIn("| read_time | 2500 (2500–2500) | 2550 (2550–2550) | 2400 (2400–2400) |",
                      md)
        self.assertIn("| alarm: read() wakes after the alarm fires (best of 3 alarms) | "
                      "-1200 (-1200–-1200) | 85000 (85000–85000) |", md)
        # RTC_RD_TIME minus RTC_IRQP_READ: Rust 4000 ns, C 3000 ns.
        self.assertIn("Rust 4000 ns, C 3000 ns, ratio 1.333", md)
        json.dumps({"images": r, "claims": claims})

    @unittest.skipUnless(importlib.util.find_spec("matplotlib"),
                         "python3-matplotlib is not installed (scripts/deps.sh --bench)")
    def test_plots_are_written(self):
        with tempfile.TemporaryDirectory() as d:
            analyze.plot(summaries(), Path(d))
            for name in ("boot-timeline.svg", "sizes.svg", "ops.svg"):
                self.assertTrue((Path(d) / name).read_text().lstrip().startswith("<?xml"))


def quiet_main(argv):
    """analyze.main(argv) with its messages captured: (rc, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        rc = analyze.main(argv)
    return rc, err.getvalue()


class MainTest(unittest.TestCase):
    def write_image(self, bench, name, boot):
        raw = bench / "raw" / name
        raw.mkdir(parents=True)
        (raw / "sizes.env").write_text("zimage_bytes=2000000\nmodule_payload_bytes=0\n")
        (raw / "vmlinux-sections.txt").write_text(".text 100 0\n.data 10 0\n")
        (raw / "config").write_text("CONFIG_DEVMEM=y\n")
        (raw / "boot-1.log").write_text(boot)
        (raw / "boot-1.wall").write_text("1.5\n")

    @unittest.skipUnless(importlib.util.find_spec("matplotlib"),
                         "python3-matplotlib is not installed (scripts/deps.sh --bench)")
    def test_writes_report_json_and_plots(self):
        with tempfile.TemporaryDirectory() as d:
            bench = Path(d)
            self.write_image(bench, "static-rust", STATIC_BOOT)
            self.write_image(bench, "modular-rust", MODULAR_BOOT)
            rc, _ = quiet_main(["--bench", d, "--machine", "m", "--images",
                                "static-rust", "modular-rust"])
            self.assertEqual(rc, 0)
            res = json.loads((bench / "results.json").read_text())
            self.assertEqual(res["images"]["static-rust"]["wall_s"]["median"], 1.5)
            self.assertIn("## Claims", (bench / "report.md").read_text())
            self.assertTrue((bench / "sizes.svg").exists())

    def test_a_missing_image_is_an_error_naming_it(self):
        with tempfile.TemporaryDirectory() as d:
            rc, err = quiet_main(["--bench", d, "--machine", "m", "--images", "static-c"])
            self.assertEqual(rc, 1)
            self.assertIn("raw/static-c", err)

    def test_a_bad_boot_log_is_an_error(self):
        with tempfile.TemporaryDirectory() as d:
            self.write_image(Path(d), "static-c", "QEMU: no kernel\n")
            rc, err = quiet_main(["--bench", d, "--machine", "m", "--images", "static-c"])
            self.assertEqual(rc, 1)
            self.assertIn("boot-1.log: no kernel log", err)


if __name__ == "__main__":
    unittest.main()
