# Sourced by scripts/mail-servers.sh and scripts/cluster-services.sh (not run on its own): installs Debian packages
# without letting their maintainer scripts start the distribution's default daemons (Postfix on 25, Dovecot on
# 143/110, PostgreSQL on 5432, ZooKeeper on 2181), since only the project's loopback instances may run. A
# policy-rc.d answering 101 ("action forbidden") is in place during the install and removed after it, also when the
# install is interrupted; an existing policy is left alone.
#
# install_debian_packages PACKAGE...   (as root; progress on stderr; returns apt-get's status)
# install_missing_debian_packages PACKAGE...   (the same for those not installed yet; 0 when none is missing)
# debian_packages_installed PACKAGE...   (true when every one is installed: nothing to do, no apt-get)
install_debian_packages() {
    local own_policy=no status=0
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        own_policy=yes
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
    fi
    {
        # waits for a concurrent apt or unattended-upgrades instead of failing on its lock
        apt-get -o DPkg::Lock::Timeout=600 update -q >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >&2
    } </dev/null || status=$?
    if [[ $own_policy == yes ]]; then
        rm -f /usr/sbin/policy-rc.d
        trap - EXIT
    fi
    return "$status"
}

debian_package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

debian_packages_installed() {
    local pkg
    for pkg in "$@"; do
        debian_package_installed "$pkg" || return 1
    done
}

install_missing_debian_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        debian_package_installed "$pkg" || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    printf 'installing %s\n' "${missing[*]}" >&2
    install_debian_packages "${missing[@]}"
}
