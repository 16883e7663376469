#!/bin/sh
# callcare-setup: the one-shot step of docker-compose.yml, run as root before
# Asterisk starts. It fills the volumes Asterisk reads:
#   /sounds   Asterisk's English core sounds (Debian's asterisk-core-sounds-en-wav),
#             then the Polish and English prompts (callcare prompts build, which
#             keeps any file it did not make), then the office's own recordings
#             from /office-sounds (same names: they replace the built ones)
#   /moh      hold music (Debian's asterisk-moh-opsound-wav)
#   /asterisk-secrets  ari-callcare.conf and pjsip-auth.conf, from the compose
#             secrets ari_password and phones; readable by Asterisk alone
# Nothing secret is printed. The paths are the compose file's; a test run
# elsewhere may move them with the variables below.
set -eu
umask 022
ast_uid=${ASTERISK_UID:-1000} # the asterisk user of the Asterisk image
sounds=${SOUNDS_DIR:-/sounds}
moh=${MOH_DIR:-/moh}
secrets=${ASTERISK_SECRETS_DIR:-/asterisk-secrets}
office=${OFFICE_SOUNDS_DIR:-/office-sounds}
compose_secrets=${COMPOSE_SECRETS_DIR:-/run/secrets}

# A password goes into an Asterisk .conf file: only characters that mean
# nothing there (no ; or newline).
check_password() { # what, password
	case "$2" in
	'' | *[!A-Za-z0-9._~+/=-]*)
		echo "callcare-setup: $1: use 8 or more of A-Z a-z 0-9 . _ ~ + / = - (e.g. openssl rand -hex 16)" >&2
		exit 1
		;;
	esac
	if [ "${#2}" -lt 8 ]; then
		echo "callcare-setup: $1: too short: 8 characters or more" >&2
		exit 1
	fi
}

echo "callcare-setup: sounds"
mkdir -p "$sounds/en" "$moh" "$secrets"
cp -R /usr/share/asterisk/sounds/en_US_f_Allison/. "$sounds/en/"
cp -R /usr/share/asterisk/moh/. "$moh/"
# With the office's configuration: its matters' names are spoken too.
if [ -r /etc/callcare/callcare.yaml ]; then
	callcare prompts build --out "$sounds" --config /etc/callcare/callcare.yaml
else
	callcare prompts build --out "$sounds"
fi
if [ -d "$office" ] && [ -n "$(ls -A "$office")" ]; then
	echo "callcare-setup: the office's recordings from office-sounds/"
	cp -R "$office/." "$sounds/"
fi
chown -R "$ast_uid:$ast_uid" "$sounds" "$moh"

echo "callcare-setup: Asterisk's passwords"
ari=$(cat "$compose_secrets/ari_password")
check_password "secrets/ari-password" "$ari"
tmp=$(mktemp -d "$secrets/.new-XXXXXX")
{
	echo "; Written by callcare-setup from the compose secret ari_password."
	echo "[callcare]"
	echo "type = user"
	echo "read_only = no"
	echo "password = $ari"
	echo "password_format = plain"
} >"$tmp/ari-callcare.conf"

echo "; Written by callcare-setup from the compose secret phones." >"$tmp/pjsip-auth.conf"
phones=0
while read -r name password rest || [ -n "$name" ]; do
	case "$name" in '' | '#'*) continue ;; esac
	case "$name" in *[!a-z0-9-]*)
		echo "callcare-setup: secrets/phones: \"$name\": a phone is named by lower-case letters, digits and - (its endpoint in pjsip.conf)" >&2
		exit 1
		;;
	esac
	if [ -n "$rest" ]; then
		echo "callcare-setup: secrets/phones: $name: one password, no spaces" >&2
		exit 1
	fi
	check_password "secrets/phones: $name" "$password"
	printf '\n[%s]\ntype = auth\nauth_type = userpass\nusername = %s\npassword = %s\n' "$name" "$name" "$password" >>"$tmp/pjsip-auth.conf"
	phones=$((phones + 1))
done <"$compose_secrets/phones"
chown -R "$ast_uid:$ast_uid" "$tmp"
chmod 0400 "$tmp"/*.conf
mv -f "$tmp/ari-callcare.conf" "$tmp/pjsip-auth.conf" "$secrets/"
rmdir "$tmp"
chown "$ast_uid:$ast_uid" "$secrets"
chmod 0500 "$secrets"
echo "callcare-setup: done: the ARI user and $phones phones"
