#!/usr/bin/env bash
# Runs the project's pinned Maven (3.9.12), bootstrapping it on first use through whatever Maven is
# installed. camel-component-maven-plugin 4.18 needs Maven >= 3.9.12; the standard Maven wrapper would
# put a registry host into the repository, so the distribution is fetched as an ordinary artifact instead.
set -euo pipefail
MAVEN_VERSION=3.9.12
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOME_DIR="${CATALYST_MAVEN_HOME:-$HOME/.cache/catalyst-mail/apache-maven-$MAVEN_VERSION}"
if [ ! -x "$HOME_DIR/bin/mvn" ]; then
  command -v mvn >/dev/null || { echo "mvnw.sh: needs an installed Maven to bootstrap Maven $MAVEN_VERSION" >&2; exit 1; }
  TMP="$(mktemp -d)"
  trap 'rm -rf "$TMP"' EXIT
  mvn -q -B -N -f "$HERE/bootstrap-pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$TMP" >&2
  mkdir -p "$(dirname "$HOME_DIR")"
  tar -xzf "$TMP/apache-maven-$MAVEN_VERSION-bin.tar.gz" -C "$TMP"
  rm -rf "$HOME_DIR"
  mv "$TMP/apache-maven-$MAVEN_VERSION" "$HOME_DIR"
fi
exec "$HOME_DIR/bin/mvn" "$@"
