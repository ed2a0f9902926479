// How much faster can a 64-row batch of 784-256-128-10 run with integer dot products on AVX2 without VNNI?
// Times, in alternating rounds of the same process, the float kernel's shape (6 rows x 16 units, 12 Vector256
// accumulators, one fused multiply-add per 8 products, panels outer) against the dynamic-quantisation form that
// ONNX Runtime's quantised MatMul uses: inputs as uint8 with a scale per row, weights as int8 (7 bits here, |q| <= 63,
// so that vpmaddubsw's pair sums, at most 2 x 255 x 63 = 32,130, never saturate), vpmaddubsw (32 u8 x s8 products
// -> 16 s16 pair sums) then vpmaddwd with ones (-> 8 s32) and vpaddd per 32 products, and the hidden layer requantised
// per row. Layers 1 and 2 only (99.5% of the multiply-adds); rows 0-59 (10 tiles of 6). docs/performance.md quotes it.
//   gcc -O2 -mavx2 -mfma bench/probes/int8_batch.c -o /tmp/int8_batch && /tmp/int8_batch
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { Rows = 60, Rounds = 301 };

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
static int compare(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

// Float: a panel is 16 biases, then per input the 16 units' weights.
#define FROW(r) { __m256 v = _mm256_broadcast_ss(x##r + i); a##r##0 = _mm256_fmadd_ps(v, w0, a##r##0); a##r##1 = _mm256_fmadd_ps(v, w1, a##r##1); }
static void float_tile(const float *panel, int inputs, const float *x, float *y, int units)
{
    const float *x0 = x, *x1 = x0 + inputs, *x2 = x1 + inputs, *x3 = x2 + inputs, *x4 = x3 + inputs, *x5 = x4 + inputs;
    __m256 b0 = _mm256_loadu_ps(panel), b1 = _mm256_loadu_ps(panel + 8);
    __m256 a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1, a40 = b0, a41 = b1, a50 = b0, a51 = b1;
    const float *w = panel + 16;
    for (int i = 0; i < inputs; i++)
    {
        __m256 w0 = _mm256_loadu_ps(w + 16 * i), w1 = _mm256_loadu_ps(w + 16 * i + 8);
        FROW(0) FROW(1) FROW(2) FROW(3) FROW(4) FROW(5)
    }
    __m256 out[12] = { a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51 };
    for (int r = 0; r < 6; r++)
        for (int h = 0; h < 2; h++)
            _mm256_storeu_ps(y + r * units + 8 * h, _mm256_max_ps(out[2 * r + h], _mm256_setzero_ps()));
}

static void float_layer(const float *packed, int inputs, int units, const float *x, float *y)
{
    for (int p = 0; p < units / 16; p++)
        for (int r = 0; r < Rows; r += 6)
            float_tile(packed + (long)p * (inputs + 1) * 16, inputs, x + r * inputs, y + r * units + 16 * p, units);
}

// Int8: a panel is per group of 4 inputs 64 bytes: units 0-7 then 8-15, each unit's 4 weights side by side.
#define QROW(r) { __m256i v = _mm256_set1_epi32(*(const int32_t *)(x##r + 4 * g)); \
    a##r##0 = _mm256_add_epi32(a##r##0, _mm256_madd_epi16(_mm256_maddubs_epi16(v, w0), ones)); \
    a##r##1 = _mm256_add_epi32(a##r##1, _mm256_madd_epi16(_mm256_maddubs_epi16(v, w1), ones)); }
static void int8_tile(const int8_t *panel, int inputs, const uint8_t *x, int32_t *y, int units)
{
    const uint8_t *x0 = x, *x1 = x0 + inputs, *x2 = x1 + inputs, *x3 = x2 + inputs, *x4 = x3 + inputs, *x5 = x4 + inputs;
    __m256i ones = _mm256_set1_epi16(1), z = _mm256_setzero_si256();
    __m256i a00 = z, a01 = z, a10 = z, a11 = z, a20 = z, a21 = z, a30 = z, a31 = z, a40 = z, a41 = z, a50 = z, a51 = z;
    for (int g = 0; g < inputs / 4; g++)
    {
        __m256i w0 = _mm256_loadu_si256((const __m256i *)(panel + 64 * g)), w1 = _mm256_loadu_si256((const __m256i *)(panel + 64 * g + 32));
        QROW(0) QROW(1) QROW(2) QROW(3) QROW(4) QROW(5)
    }
    __m256i out[12] = { a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51 };
    for (int r = 0; r < 6; r++)
        for (int h = 0; h < 2; h++)
            _mm256_storeu_si256((__m256i *)(y + r * units + 8 * h), out[2 * r + h]);
}

static void int8_layer(const int8_t *packed, int inputs, int units, const uint8_t *x, int32_t *y)
{
    for (int p = 0; p < units / 16; p++)
        for (int r = 0; r < Rows; r += 6)
            int8_tile(packed + (long)p * inputs * 16, inputs, x + r * inputs, y + r * units + 16 * p, units);
}

// The hidden layer back to float (scale, bias, ReLU) and to uint8 with its own scale per row.
static void requantise(const int32_t *sums, int units, const float *rowScale, const float *unitScale, const float *bias, uint8_t *q, float *qScale)
{
    float h[256];
    for (int r = 0; r < Rows; r++)
    {
        float largest = 0;
        for (int u = 0; u < units; u++)
        {
            float v = sums[r * units + u] * rowScale[r] * unitScale[u] + bias[u];
            h[u] = v > 0 ? v : 0;
            largest = h[u] > largest ? h[u] : largest;
        }
        float inverse = largest > 0 ? 255 / largest : 0;
        qScale[r] = largest / 255;
        for (int u = 0; u < units; u++)
            q[r * units + u] = (uint8_t)(h[u] * inverse + 0.5f);
    }
}

int main(void)
{
    float *f1 = aligned_alloc(64, 16 * 785 * 16 * 4), *f2 = aligned_alloc(64, 8 * 257 * 16 * 4);
    int8_t *q1 = aligned_alloc(64, 784 * 256), *q2 = aligned_alloc(64, 256 * 128);
    for (int i = 0; i < 16 * 785 * 16; i++) f1[i] = ((i * 37) % 101 - 50) * 1e-3f;
    for (int i = 0; i < 8 * 257 * 16; i++) f2[i] = ((i * 53) % 97 - 48) * 1e-3f;
    for (int i = 0; i < 784 * 256; i++) q1[i] = (int8_t)((i * 37) % 127 - 63);
    for (int i = 0; i < 256 * 128; i++) q2[i] = (int8_t)((i * 53) % 127 - 63);
    float *x = aligned_alloc(64, Rows * 784 * 4), *h1 = aligned_alloc(64, Rows * 256 * 4), *h2 = aligned_alloc(64, Rows * 128 * 4);
    uint8_t *xq = aligned_alloc(64, Rows * 784), *hq = aligned_alloc(64, Rows * 256);
    int32_t *s1 = aligned_alloc(64, Rows * 256 * 4), *s2 = aligned_alloc(64, Rows * 128 * 4);
    float xScale[Rows], hScale[Rows], unitScale[256], bias[256];
    for (int i = 0; i < Rows * 784; i++) { x[i] = (i % 251) / 255.0f; xq[i] = (uint8_t)(i % 251); }
    for (int r = 0; r < Rows; r++) xScale[r] = 1 / 255.0f;
    for (int u = 0; u < 256; u++) { unitScale[u] = 1e-3f; bias[u] = 0.01f; }

    double tf[Rounds], tq[Rounds];
    volatile float sink = 0;
    for (int round = 0; round < Rounds; round++)
    {
        double start = now();
        float_layer(f1, 784, 256, x, h1);
        float_layer(f2, 256, 128, h1, h2);
        tf[round] = now() - start;
        start = now();
        int8_layer(q1, 784, 256, xq, s1);
        requantise(s1, 256, xScale, unitScale, bias, hq, hScale);
        int8_layer(q2, 256, 128, hq, s2);
        tq[round] = now() - start;
        sink += h2[7] + (float)s2[7];
    }
    qsort(tf, Rounds, sizeof(double), compare);
    qsort(tq, Rounds, sizeof(double), compare);
    double flops = 2.0 * Rows * (784 * 256 + 256 * 128);
    printf("float FMA 6x16:            median %.2f us/row (%.1f GFLOP/s), fastest %.2f us/row (%.1f)\n", tf[Rounds / 2] / Rows / 1e3, flops / tf[Rounds / 2], tf[0] / Rows / 1e3, flops / tf[0]);
    printf("u8 x s8 vpmaddubsw 6x16:   median %.2f us/row (%.1f GOP/s), fastest %.2f us/row (%.1f)\n", tq[Rounds / 2] / Rows / 1e3, flops / tq[Rounds / 2], tq[0] / Rows / 1e3, flops / tq[0]);
    printf("int8 / float: %.2fx (median rounds), %.2fx (fastest rounds)\n", tf[Rounds / 2] / tq[Rounds / 2], tf[0] / tq[0]);
    return 0;
}
