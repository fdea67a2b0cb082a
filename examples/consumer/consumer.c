/* consumer.c - the smallest program built against an installed libcommentguard: it checks that
 * the header and the library agree on the version, opens the default model (the installed one,
 * found without configuration), and classifies a comment given as argument.
 *
 *   consumer "comment text"   prints: model DIR, then label TAB p(on-topic) TAB p(off-topic)
 *                             TAB p(abusive); exit status 0, or 1 after an error message */
#include <stdio.h>
#include <string.h>

#include <commentguard.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: consumer \"comment text\"\n", stderr);
        return 1;
    }
    if (strcmp(cg_version(), CG_VERSION_STRING) != 0) {
        fprintf(stderr, "consumer: header %s, library %s\n", CG_VERSION_STRING, cg_version());
        return 1;
    }
    char err[512];
    cg_model *model;
    if (cg_model_open(NULL, &model, err, sizeof err) != CG_OK) {
        fprintf(stderr, "consumer: cannot open the default model: %s\n", err);
        return 1;
    }
    cg_workspace *ws = NULL;
    cg_result r;
    int status = 1;
    if (cg_workspace_new(model, &ws) != CG_OK)
        fputs("consumer: out of memory\n", stderr);
    else if (cg_classify(model, ws, argv[1], strlen(argv[1]), NULL, &r) != CG_OK)
        fprintf(stderr, "consumer: %s\n", cg_workspace_error(ws));
    else
        status = 0;
    if (status == 0)
        printf("model %s\n%s\t%.6f\t%.6f\t%.6f\n", cg_model_path(model), cg_label_name(r.label),
               r.prob[CG_ON_TOPIC], r.prob[CG_OFF_TOPIC], r.prob[CG_ABUSIVE]);
    cg_workspace_free(ws);
    cg_model_free(model);
    return status;
}
