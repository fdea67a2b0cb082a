/* topicality_regression.c - the topicality stage's logistic regression (topicality_regression.h). */
#include "topicality_regression.h"

#include <math.h>

#define K CG_TOPIC_COEFS

/* Solve the KxK system a x = b (Gaussian elimination with partial pivoting); 0 if singular. */
static int solve(double a[K][K], double b[K], double x[K])
{
    for (int c = 0; c < K; c++) {
        int p = c;
        for (int r = c + 1; r < K; r++)
            if (fabs(a[r][c]) > fabs(a[p][c]))
                p = r;
        if (fabs(a[p][c]) < 1e-12)
            return 0;
        for (int k = 0; k < K; k++) {
            double tmp = a[c][k];
            a[c][k] = a[p][k];
            a[p][k] = tmp;
        }
        double tmp = b[c];
        b[c] = b[p];
        b[p] = tmp;
        for (int r = c + 1; r < K; r++) {
            double f = a[r][c] / a[c][c];
            for (int k = c; k < K; k++)
                a[r][k] -= f * a[c][k];
            b[r] -= f * b[c];
        }
    }
    for (int r = K - 1; r >= 0; r--) {
        double s = b[r];
        for (int k = r + 1; k < K; k++)
            s -= a[r][k] * x[k];
        x[r] = s / a[r][r];
    }
    return 1;
}

void cg_topic_regression_inputs(const cg_topic_measure *m, double x[K])
{
    double la = log1p(m->article_mass);
    x[0] = 1.0;
    x[1] = log1p(m->mass);
    x[2] = m->cosine;
    x[3] = la;
    x[4] = m->cosine * la;
}

int cg_topic_regression_fit(const double (*x)[K], const int *y, size_t n, double coef[K])
{
    const double ridge = 1.0;
    for (int j = 0; j < K; j++)
        coef[j] = 0;
    for (int iter = 0; iter < 100; iter++) {
        double h[K][K] = {{0}}, g[K] = {0}, step[K];
        for (size_t i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < K; j++)
                z += coef[j] * x[i][j];
            double p = 1.0 / (1.0 + exp(-z));
            for (int j = 0; j < K; j++) {
                g[j] += (p - y[i]) * x[i][j];
                for (int k = 0; k < K; k++)
                    h[j][k] += p * (1 - p) * x[i][j] * x[i][k];
            }
        }
        for (int j = 1; j < K; j++) { /* not the intercept */
            g[j] += ridge * coef[j];
            h[j][j] += ridge;
        }
        if (!solve(h, g, step))
            return 0;
        double largest = 0;
        for (int j = 0; j < K; j++) {
            coef[j] -= step[j];
            largest = fmax(largest, fabs(step[j]));
        }
        if (largest < 1e-9)
            break;
    }
    for (int j = 0; j < K; j++)
        if (!isfinite(coef[j]))
            return 0;
    return 1;
}
