/* akismet_reply.c - what the Akismet calls of `commentguard serve` share: text answers, refusals
 * in Akismet's way (a body and an X-akismet-debug-help header that say why, so that clients show
 * a reason instead of a generic failure), and the key a call carries. */
#define _POSIX_C_SOURCE 200809L
#include "akismet_reply.h"

#include <string.h>
#include <strings.h>

#include "result_json.h"

const char akismet_bad_key[] = "We were unable to authenticate your API key.";

enum MHD_Result akismet_reply(struct MHD_Connection *c, unsigned status, const char *text,
                              const char *const *headers)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    for (size_t i = 0; ok == MHD_YES && headers && headers[i]; i += 2)
        ok = MHD_add_response_header(r, headers[i], headers[i + 1]);
    if (ok == MHD_YES)
        ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

enum MHD_Result akismet_refuse(struct MHD_Connection *c, unsigned status, const char *help, const char *allow)
{
    char clean[512];
    cli_clean_message(clean, sizeof clean, help);
    const char *headers[] = {"X-akismet-debug-help", clean, allow ? "Allow" : NULL, allow, NULL};
    return akismet_reply(c, status, clean, headers);
}

enum MHD_Result akismet_refuse_key(struct MHD_Connection *c, const char *help)
{
    const char *headers[] = {"X-akismet-debug-help", help, NULL};
    return akismet_reply(c, MHD_HTTP_OK, "invalid", headers);
}

const char *akismet_field(const form *f, const char *name)
{
    const char *v = form_get(f, name, NULL);
    return v ? v : "";
}

/* The key in a Host header "KEY.DOMAIN[:port]", copied to buf; NULL for any other host. */
static const char *host_key(const char *host, const char *domain, char *buf, size_t size)
{
    if (!host || !domain)
        return NULL;
    size_t name_len = strcspn(host, ":"), key_len = strcspn(host, ".");
    size_t rest = key_len < name_len ? name_len - key_len - 1 : 0;
    if (key_len == 0 || key_len >= name_len || key_len >= size || rest != strlen(domain) ||
        strncasecmp(host + key_len + 1, domain, rest) != 0)
        return NULL;
    memcpy(buf, host, key_len);
    buf[key_len] = '\0';
    return buf;
}

const char *akismet_call_key(const serve_server *s, struct MHD_Connection *c, const form *f, char *buf,
                             size_t size)
{
    const char *key = form_get(f, "key", NULL);
    if (!key)
        key = form_get(f, "api_key", NULL);
    if (!key)
        key = host_key(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST), s->akismet_domain,
                       buf, size);
    return key;
}

int akismet_key_accepted(const serve_server *s, const char *key, const form *f)
{
    const keys *k = s->keys; /* one load: SIGHUP may swap the table in between */
    return !k || keys_valid(k, key, form_get(f, "blog", NULL));
}
