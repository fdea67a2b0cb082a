/* status.c - the static strings of the public interface: version, status and label names. */
#include "commentguard.h"

const char *cg_version(void)
{
    return CG_VERSION_STRING;
}

const char *cg_strerror(cg_status status)
{
    switch (status) {
    case CG_OK: return "no error";
    case CG_ERR_IO: return "input/output error";
    case CG_ERR_FORMAT: return "malformed model or data";
    case CG_ERR_VERSION: return "model bundle from a newer commentguard";
    case CG_ERR_NOMEM: return "out of memory";
    case CG_ERR_INPUT: return "invalid input";
    }
    return "unknown status";
}

const char *cg_label_name(cg_label label)
{
    switch (label) {
    case CG_ON_TOPIC: return "on-topic";
    case CG_OFF_TOPIC: return "off-topic";
    case CG_ABUSIVE: return "abusive";
    case CG_UNSURE: return "unsure";
    }
    return NULL;
}
