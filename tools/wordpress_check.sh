#!/usr/bin/env bash
# wordpress_check.sh [PROGRAM [MODEL_DIR]] - the release check with the real thing: Debian's
# WordPress and its unmodified Akismet plugin against `commentguard serve`, from key entry to the
# moderator's clicks.
#
# Installs what it needs (wordpress, mariadb-server, php-cli, php-mysql, curl, python3; as root or
# with sudo) unless present, then, all in a temporary directory and on loopback ports:
#   - a private MariaDB instance (its own data directory and socket, no network);
#   - a copy of /usr/share/wordpress with its own wp-config.php (WP_HTTP_BLOCK_EXTERNAL on, wp-cron
#     off, WP_DEBUG with the log in the temporary directory, COMMENTGUARD_AKISMET_SERVER) and the
#     must-use plugin of examples/wordpress;
#   - `commentguard serve` with a key from `commentguard keys new`, --feedback and --state;
#   - PHP's built-in server (`php -S`, 4 workers) serving the copy;
# and runs tools/wordpress_check.py, which drives the site as its owner and visitors do (installer,
# login, Akismet's settings screen, comments, Spam / Not spam clicks, dashboard) and checks the
# outcome. Exit status 0 when every check passes. KEEP=1 keeps the temporary directory.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
prog=${1:-$src/build/commentguard}
model=${2:-$src/models/default}
prog=$(cd "$(dirname "$prog")" && pwd)/$(basename "$prog")
[ -x "$prog" ] || { echo "wordpress_check: no program at $prog (build first, or give its path)" >&2; exit 2; }

# Install step.
need=()
[ -d /usr/share/wordpress/wp-content/plugins/akismet ] || need+=(wordpress)
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v php >/dev/null || need+=(php-cli)
php -m 2>/dev/null | grep -x mysqli >/dev/null || need+=(php-mysql)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  echo "wordpress_check: installing ${need[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >&2
fi
PATH=$PATH:/usr/sbin

tmp=$(mktemp -d)
chmod 755 "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "wordpress_check: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
fail() {
  echo "wordpress_check: FAIL: $*" >&2
  for f in serve.log php.log mariadb.log debug.log; do # core's PHP 8.2 deprecation notices left out
    [ -s "$tmp/$f" ] && { echo "--- $f (last lines):" >&2; grep -v 'PHP Deprecated' "$tmp/$f" | tail -n 20 >&2; }
  done
  exit 1
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
user=$(id -un)
started=$(date +%s)

# A private MariaDB.
mariadb-install-db --no-defaults --datadir="$tmp/db" --user="$user" --auth-root-authentication-method=normal \
  --skip-test-db >"$tmp/mariadb-install.log" 2>&1 || { cat "$tmp/mariadb-install.log" >&2; fail "mariadb-install-db"; }
mariadbd --no-defaults --datadir="$tmp/db" --socket="$tmp/mysql.sock" --skip-networking --user="$user" \
  --pid-file="$tmp/mariadb.pid" --log-error="$tmp/mariadb.log" &
pids+=($!)
for _ in $(seq 100); do [ -S "$tmp/mysql.sock" ] && break; sleep 0.2; done
[ -S "$tmp/mysql.sock" ] || fail "MariaDB did not start"
mariadb --no-defaults -S "$tmp/mysql.sock" -uroot -e \
  "CREATE DATABASE wp; CREATE USER wp@localhost IDENTIFIED BY 'wp'; GRANT ALL ON wp.* TO wp@localhost;" ||
  fail "creating the database"

# commentguard serve, with a key the plugin accepts.
wp_port=$(free_port)
site=http://127.0.0.1:$wp_port
key=$("$prog" keys new --keys "$tmp/keys" --blog "$site")
: >"$tmp/serve.log" # exists before the loop below reads it (set -e)
"$prog" serve --listen 127.0.0.1:0 --model "$model" --threads 2 --keys "$tmp/keys" --feedback "$tmp/feedback.jsonl" \
  --state "$tmp/state.db" 2>"$tmp/serve.log" &
pids+=($!)
cg_port=
for _ in $(seq 100); do
  cg_port=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$tmp/serve.log")
  [ -n "$cg_port" ] && break
  sleep 0.1
done
[ -n "$cg_port" ] || fail "serve did not start"

# WordPress: a copy of Debian's, its own configuration, the routing plugin.
cp -a /usr/share/wordpress "$tmp/www"
rm -f "$tmp/www/wp-config.php" "$tmp/www/.htaccess"
mkdir -p "$tmp/www/wp-content/mu-plugins" "$tmp/www/wp-content/uploads"
cp "$src/examples/wordpress/commentguard-akismet.php" "$tmp/www/wp-content/mu-plugins/"
salt() { python3 -c 'import secrets; print(secrets.token_hex(32))'; }
cat >"$tmp/www/wp-config.php" <<EOF
<?php
define( 'DB_NAME', 'wp' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'wp' );
define( 'DB_HOST', 'localhost:$tmp/mysql.sock' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
define( 'AUTH_KEY', '$(salt)' );
define( 'SECURE_AUTH_KEY', '$(salt)' );
define( 'LOGGED_IN_KEY', '$(salt)' );
define( 'NONCE_KEY', '$(salt)' );
define( 'AUTH_SALT', '$(salt)' );
define( 'SECURE_AUTH_SALT', '$(salt)' );
define( 'LOGGED_IN_SALT', '$(salt)' );
define( 'NONCE_SALT', '$(salt)' );
\$table_prefix = 'wp_';
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$tmp/debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'COMMENTGUARD_AKISMET_SERVER', 'http://127.0.0.1:$cg_port' );
/* That's all, stop editing! */
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
EOF
touch "$tmp/debug.log"
PHP_CLI_SERVER_WORKERS=4 php -d display_errors=0 -d log_errors=1 -d error_log="$tmp/debug.log" \
  -S "127.0.0.1:$wp_port" -t "$tmp/www" >"$tmp/php.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "$site/wp-login.php" && break; sleep 0.2; done

python3 "$src/tools/wordpress_check.py" --site "$site" --key "$key" --feedback "$tmp/feedback.jsonl" \
  --debug-log "$tmp/debug.log" --db-socket "$tmp/mysql.sock" || fail "the site did not behave (above)"
! grep -q "$key" "$tmp/serve.log" || fail "the key appears in serve's log"
echo "wordpress_check: all checks passed in $(($(date +%s) - started)) s"
