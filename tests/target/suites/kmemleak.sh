# SPDX-License-Identifier: GPL-2.0
# kmemleak's scan after all the other suites (run-all runs this one last):
# no object the kernel allocated since boot may be left unreferenced. The
# report is printed on the console, where the harness's no_bug check sees
# it too. Skips on a kernel without CONFIG_DEBUG_KMEMLEAK (the product).
. "$(dirname "$0")/../ktap.sh"

ktap_begin kmemleak 1
kml=/sys/kernel/debug/kmemleak
[ -e /sys/kernel/debug/kmemleak ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -e "$kml" ]; then
	ktap_skip no_leak_after_tests "no $kml (CONFIG_DEBUG_KMEMLEAK is off in this kernel)"
	exit 0
fi

uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
# kmemleak reports an object only once it is 5 s old (and unreferenced
# in a scan): wait for the last suite's objects, then scan twice, as
# Documentation/dev-tools/kmemleak.rst advises against transient
# false positives.
sleep 6
t0=$(uptime_cs)
if ! echo scan >"$kml" 2>/tmp/kmemleak.err || ! echo scan >"$kml" 2>>/tmp/kmemleak.err; then
	ktap_result no_leak_after_tests 1 "writing 'scan' to $kml failed: $(cat /tmp/kmemleak.err) (kmemleak disabled after an error? see dmesg | grep kmemleak: $(dmesg | grep 'kmemleak:' | tail -n 3 | tr '\n' ' '))"
	ktap_end
	exit
fi
t1=$(uptime_cs)
cat "$kml" >/tmp/kmemleak.report
leaks=$(grep -c '^unreferenced object' /tmp/kmemleak.report)
echo "# kmemleak: two scans took $(((t1 - t0) / 100)).$(((t1 - t0) % 100 / 10)) s, $leaks leak(s) after the tests"
sed 's/^/# /' /tmp/kmemleak.report
[ "$leaks" -eq 0 ]
ktap_result no_leak_after_tests $? "kmemleak reports $leaks unreferenced object(s), above"
ktap_end
