# Sourced by the scripts in this folder: sets JAVA25 to a JDK 25+ `java`, as the build's
# maven-toolchains-plugin would pick it (JAVA_HOME if it is 25+, else the first under /usr/lib/jvm).
find_java25() {
  local j v
  for j in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/*/bin/java; do
    [ -x "$j" ] || continue
    v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      JAVA25="$j"
      return 0
    fi
  done
  echo "no JDK 25+ found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
  return 1
}
