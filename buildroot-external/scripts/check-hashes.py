#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that every download of a configured Buildroot build has a hash.

With BR2_DOWNLOAD_FORCE_CHECK_HASHES, a download without a sha256 line in
its package's hash files stops the build ("No hash found for ...").
This finds that before any download, without network access: Buildroot's
`make show-info` lists the configuration's downloads and, for each
package, the hash files Buildroot reads (its <PKG>_HASH_FILES: the
package's folder and BR2_GLOBAL_PATCH_DIR/<package>/, or their
<version>/ subfolders).

usage: check-hashes.py BUILDROOT_DIR OUTPUT_DIR
"""

import json
import os
import subprocess
import sys


def hashed_files(path):
    names = set()
    with open(path) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 3 and not fields[0].startswith("#"):
                names.add(fields[2])
    return names


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    br, out = (os.path.abspath(a) for a in sys.argv[1:])
    if not os.path.isfile(os.path.join(out, ".config")):
        sys.exit("check-hashes: error: no %s/.config: configure first" % out)
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MAKELEVEL")}
    info = json.loads(subprocess.run(
        ["make", "-s", "-C", br, "O=" + out, "show-info"],
        env=env, check=True, stdout=subprocess.PIPE).stdout)

    checked = 0
    missing = []
    for name, pkg in sorted(info.items()):
        files = [os.path.join(br, h) for h in pkg.get("hashes", [])]
        for download in pkg.get("downloads", []):
            source = download["source"]
            checked += 1
            found = [f for f in files if source in hashed_files(f)]
            if found:
                print("check-hashes: ok: %s: %s in %s"
                      % (name, source, found[0]))
            else:
                missing.append("%s: %s (hash files: %s)" % (
                    name, source, " ".join(files) or "none"))
    for m in missing:
        print("check-hashes: FAIL: no hash for " + m, file=sys.stderr)
    print("check-hashes: %d downloads, %d without a hash"
          % (checked, len(missing)))
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
