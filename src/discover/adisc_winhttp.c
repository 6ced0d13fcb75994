/* The WinHTTP error of the guide's troubleshooting table for a libcurl
 * result: administrators search logs for the guide's strings. Codes are
 * winhttp.h's ERROR_WINHTTP_* values (12000 + n); the texts of 0x2ee7 and
 * 0x2efd are the guide's own rows, the others Windows' message texts for
 * those codes. One table, so the mapping is read in one place. */
#include "adisc_int.h"

#include <curl/curl.h>
#include <stddef.h>

static const struct {
	int cc;
	unsigned long code;
	const char *text;
} map[] = {
    {CURLE_UNSUPPORTED_PROTOCOL, 12006, "The URL does not use a recognized protocol"},
    {CURLE_URL_MALFORMAT, 12005, "The URL is invalid"},
    {CURLE_COULDNT_RESOLVE_PROXY, 12007,
     "The server name or address could not be resolved"},
    {CURLE_COULDNT_RESOLVE_HOST, 12007,
     "The server name or address could not be resolved"},
    {CURLE_COULDNT_CONNECT, 12029,
     "A connection with the server could not be established"},
    {CURLE_WEIRD_SERVER_REPLY, 12152,
     "The server returned an invalid or unrecognized response"},
    {CURLE_OPERATION_TIMEDOUT, 12002, "The operation timed out"},
    {CURLE_SSL_CONNECT_ERROR, 12175, "A security error occurred"},
    {CURLE_TOO_MANY_REDIRECTS, 12156,
     "The redirection failed because either the scheme changed or all attempts "
     "made to redirect failed"},
    {CURLE_GOT_NOTHING, 12030,
     "The connection with the server was terminated abnormally"},
    {CURLE_SEND_ERROR, 12030, "The connection with the server was terminated abnormally"},
    {CURLE_RECV_ERROR, 12030, "The connection with the server was terminated abnormally"},
    {CURLE_SSL_CERTPROBLEM, 12175, "A security error occurred"},
    {CURLE_SSL_CIPHER, 12175, "A security error occurred"},
    {CURLE_PEER_FAILED_VERIFICATION, 12175, "A security error occurred"},
    {CURLE_SSL_CACERT_BADFILE, 12175, "A security error occurred"},
};

unsigned long adisc_winhttp_code(int curl_code, const char **text)
{
	size_t i;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].cc == curl_code) {
			*text = map[i].text;
			return map[i].code;
		}
	*text = NULL;
	return 0;
}
