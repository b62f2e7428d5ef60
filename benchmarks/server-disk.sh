#!/usr/bin/env bash
# A file system for benchmark mail servers whose deletions do not wait on the host's disk: an ext4 image, mounted
# through a loop device WITHOUT online discard, with a journal of its own. On the 2-core VM of these benchmarks the
# root file system is ext4 mounted with `discard`, shared by every lane; there deleting a message file whose blocks
# are on disk (Dovecot fsyncs every appended message) took 0.2-2.8 ms depending on the moment, against 0.03 ms on
# such an image, and a poll's EXPUNGE of 1,000 messages took 0.14-1.6 s: most of the raw wire's run and the cause of
# its swing (benchmarks/README.md, "The servers' disk"). Run as root (mount).
#
#   eval "$(benchmarks/server-disk.sh mount /tmp/bench-disk)"     # exports CATALYST_SERVERS_DIR=/tmp/bench-disk/mnt/srv
#   bash scripts/mail-servers.sh start ...                       # with the lane's moved ports, as usual
#   bash scripts/mail-servers.sh stop; benchmarks/server-disk.sh unmount /tmp/bench-disk
set -euo pipefail

SIZE=${CATALYST_BENCH_DISK_SIZE:-4G}

usage() {
    echo "usage: $0 mount|unmount DIR" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
dir=$2
image=$dir/ext4.img
mnt=$dir/mnt

case "$1" in
    mount)
        mkdir -p "$mnt"
        if ! mountpoint -q "$mnt"; then
            if [[ ! -f $image ]]; then
                truncate -s "$SIZE" "$image"
                mkfs.ext4 -q -F "$image" >&2
            fi
            # nodiscard is ext4's default; said here because the point of this file system is to have none
            mount -o loop,nodiscard "$image" "$mnt"
        fi
        echo "export CATALYST_SERVERS_DIR=$mnt/srv CATALYST_CLUSTER_DIR=$mnt/srv/cluster"
        ;;
    unmount)
        if mountpoint -q "$mnt"; then
            umount "$mnt"
        fi
        rm -f "$image"
        ;;
    *) usage ;;
esac
