# Sourced by the Nicks/SRS scenarios, after ../switch/common.sh: the user's
# folders holding the nickname files and the .srs, the recipient map, the
# independent reader.
NFIX=$RP_SOURCE_DIR/tests/fixtures/nicks
READER=$RP_SOURCE_DIR/tests/integration/nicks/nick_reader.py
STREAM_NAME=Stream_Autocomplete_0_8F0A1B2C3D4E5F60718293A4B5C6D7E8.dat
SRC_SMTP=bob.nguyen@source.example
DST_SMTP=bob.nguyen@target.example

# The user's folders: natively the hive's own folder ($RP_TMP holds
# ntuser.dat), under Wine the Wine user's real %LOCALAPPDATA% / %APPDATA%.
if [ $MODE = hive ]; then
	LOCAL=$RP_TMP/AppData/Local
	ROAM=$RP_TMP/AppData/Roaming
else
	winpath() {
		# shellcheck disable=SC2016
		w=$($WINE cmd /c echo "%$1%" 2>/dev/null | tr -d '\r')
		$WINE winepath -u "$w" 2>/dev/null | tr -d '\r'
	}
	LOCAL=$(winpath LOCALAPPDATA)
	ROAM=$(winpath APPDATA)
	[ -n "$LOCAL" ] && [ -n "$ROAM" ] || die "cannot find the Wine user's AppData folders"
fi
RCDIR=$LOCAL/Microsoft/Outlook/RoamCache
OLDIR=$ROAM/Microsoft/Outlook
STREAM=$RCDIR/$STREAM_NAME
NK2=$OLDIR/Outlook.nk2
SRS=$OLDIR/Outlook.srs

# user_files: fresh copies of the fixture stream and .nk2, and an .srs that
# names the source SMTP address in UTF-16 (originals kept in $RP_TMP/orig).
user_files() {
	rm -rf "$RCDIR" "$OLDIR"
	mkdir -p "$RCDIR" "$OLDIR" "$RP_TMP/orig"
	cp "$NFIX/$STREAM_NAME" "$STREAM"
	cp "$NFIX/Outlook.nk2" "$NK2"
	python3 -c "
import sys
sys.stdout.buffer.write(b'\x02\x00SRS\x00' + 'Send/Receive All: $SRC_SMTP'.upper().encode('utf-16-le') + b'\x00\x00')" >"$SRS"
	cp "$STREAM" "$NK2" "$SRS" "$RP_TMP/orig/"
}

# same_as_orig FILE...: each file equals its original, byte for byte.
same_as_orig() {
	for f in "$@"; do
		[ -f "$f" ] || die "$f is missing"
		cmp -s "$f" "$RP_TMP/orig/$(basename "$f")" || die "$f differs from the original"
	done
}

# nicks_ini [LINE...]: reprofile.ini with the switch list, local XML folder
# and the CSV recipient map (the fixture map plus the user's own mailbox).
nicks_ini() {
	cp "$NFIX/map.csv" "$RP_TMP/map.csv"
	ini "$@" "[Directory]" "DirectoryCSV=map.csv"
}

cleanup_user_files() {
	[ $MODE = live ] && rm -rf "$RCDIR" "$OLDIR"
	:
}
