// Which register tile of the int8 kernel (PackedDense.Int8.cs) runs layer 1 of 784-256-128-10 fastest on AVX2 without
// VNNI? Times, in alternating rounds, the products of 64 quantised rows against 256 units (no quantisation, no finish)
// in three shapes: A, the shipped 4 rows x 16 units with two vpmaddubsw added in int16 per vpmaddwd (inputs 0..127,
// weights -63..63) and the weights in registers; B, 6 rows x 8 units with four vpmaddubsw per vpmaddwd (possible only
// with inputs 0..63: 8 x 63 x 63 = 31,752 < 32,767), the 4 weight vectors in registers; C, 4 rows x 16 units with four
// per vpmaddwd and the weights as memory operands. docs/performance.md ("Reduced-precision weights") quotes it.
//   gcc -O2 -mavx2 -mfma bench/probes/int8_tiles.c -o /tmp/int8_tiles && /tmp/int8_tiles
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
enum { Rows = 64, In = 784, Units = 256, Rounds = 201 };
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
#define BC(p) _mm256_castps_si256(_mm256_broadcast_ss((const float *)(p)))
// A: 4 rows x 16 units, 2-add, weights in registers
static void tileA(const int8_t *w, const uint8_t *x, int32_t *y) {
  __m256i ones = _mm256_set1_epi16(1), z = _mm256_setzero_si256();
  __m256i a[8] = {z,z,z,z,z,z,z,z};
  for (int i = 0; i < In; i += 8, w += 128) {
    __m256i w0 = _mm256_loadu_si256((const __m256i*)w), w1 = _mm256_loadu_si256((const __m256i*)(w+32));
    __m256i w2 = _mm256_loadu_si256((const __m256i*)(w+64)), w3 = _mm256_loadu_si256((const __m256i*)(w+96));
    for (int r = 0; r < 4; r++) {
      __m256i v = BC(x + r*In + i), u = BC(x + r*In + i + 4);
      a[2*r] = _mm256_add_epi32(a[2*r], _mm256_madd_epi16(_mm256_add_epi16(_mm256_maddubs_epi16(v, w0), _mm256_maddubs_epi16(u, w2)), ones));
      a[2*r+1] = _mm256_add_epi32(a[2*r+1], _mm256_madd_epi16(_mm256_add_epi16(_mm256_maddubs_epi16(v, w1), _mm256_maddubs_epi16(u, w3)), ones));
    }
  }
  for (int k = 0; k < 8; k++) _mm256_storeu_si256((__m256i*)(y + (k/2)*Units + 8*(k%2)), a[k]);
}
// B: 6 rows x 8 units, 4-add, weights in registers
static void tileB(const int8_t *w, const uint8_t *x, int32_t *y) {
  __m256i ones = _mm256_set1_epi16(1), z = _mm256_setzero_si256();
  __m256i a[6] = {z,z,z,z,z,z};
  for (int i = 0; i < In; i += 16, w += 256) {
    __m256i w0 = _mm256_loadu_si256((const __m256i*)w), w1 = _mm256_loadu_si256((const __m256i*)(w+64));
    __m256i w2 = _mm256_loadu_si256((const __m256i*)(w+128)), w3 = _mm256_loadu_si256((const __m256i*)(w+192));
    for (int r = 0; r < 6; r++) {
      const uint8_t *p = x + r*In + i;
      __m256i s = _mm256_maddubs_epi16(BC(p), w0);
      s = _mm256_add_epi16(s, _mm256_maddubs_epi16(BC(p+4), w1));
      s = _mm256_add_epi16(s, _mm256_maddubs_epi16(BC(p+8), w2));
      s = _mm256_add_epi16(s, _mm256_maddubs_epi16(BC(p+12), w3));
      a[r] = _mm256_add_epi32(a[r], _mm256_madd_epi16(s, ones));
    }
  }
  for (int k = 0; k < 6; k++) _mm256_storeu_si256((__m256i*)(y + k*Units), a[k]);
}
// C: 4 rows x 16 units, 4-add, weights memory operands
static void tileC(const int8_t *w, const uint8_t *x, int32_t *y) {
  __m256i ones = _mm256_set1_epi16(1), z = _mm256_setzero_si256();
  __m256i a[8] = {z,z,z,z,z,z,z,z};
  for (int i = 0; i < In; i += 16, w += 256) {
    for (int r = 0; r < 4; r++) {
      const uint8_t *p = x + r*In + i;
      __m256i b0=BC(p), b1=BC(p+4), b2=BC(p+8), b3=BC(p+12);
      for (int h = 0; h < 2; h++) {
        const int8_t *g = w + 32*h;
        __m256i s = _mm256_maddubs_epi16(b0, _mm256_loadu_si256((const __m256i*)g));
        s = _mm256_add_epi16(s, _mm256_maddubs_epi16(b1, _mm256_loadu_si256((const __m256i*)(g+64))));
        s = _mm256_add_epi16(s, _mm256_maddubs_epi16(b2, _mm256_loadu_si256((const __m256i*)(g+128))));
        s = _mm256_add_epi16(s, _mm256_maddubs_epi16(b3, _mm256_loadu_si256((const __m256i*)(g+192))));
        a[2*r+h] = _mm256_add_epi32(a[2*r+h], _mm256_madd_epi16(s, ones));
      }
    }
  }
  for (int k = 0; k < 8; k++) _mm256_storeu_si256((__m256i*)(y + (k/2)*Units + 8*(k%2)), a[k]);
}
int main(void) {
  int8_t *W = aligned_alloc(64, In*Units); uint8_t *X = aligned_alloc(64, Rows*In); int32_t *Y = aligned_alloc(64, Rows*Units*4);
  for (int i = 0; i < In*Units; i++) W[i] = (int8_t)((i*37)%127-63);
  for (int i = 0; i < Rows*In; i++) X[i] = (uint8_t)(i%64);
  double t[3][Rounds];
  for (int round = 0; round < Rounds; round++) {
    double s = now();
    for (int p = 0; p < 16; p++) for (int r = 0; r + 4 <= Rows; r += 4) tileA(W + p*16*In, X + r*In, Y + r*Units + 16*p);
    t[0][round] = now() - s; s = now();
    for (int p = 0; p < 16; p++) for (int h = 0; h < 2; h++) { for (int r = 0; r + 6 <= 60; r += 6) tileB(W + p*16*In + 32*h, X + r*In, Y + r*Units + 16*p + 8*h); }
    for (int p = 0; p < 16; p++) tileA(W + p*16*In, X + 60*In, Y + 60*Units + 16*p);
    t[1][round] = now() - s; s = now();
    for (int p = 0; p < 16; p++) for (int r = 0; r + 4 <= Rows; r += 4) tileC(W + p*16*In, X + r*In, Y + r*Units + 16*p);
    t[2][round] = now() - s;
  }
  const char *n[3] = {"A 4x16 2-add wreg", "B 6x8 4-add wreg", "C 4x16 4-add wmem"};
  for (int k = 0; k < 3; k++) { qsort(t[k], Rounds, sizeof(double), cmp); printf("%s: median %.3f fastest %.3f us/row\n", n[k], t[k][Rounds/2]/Rows/1e3, t[k][0]/Rows/1e3); }
  return Y[5] == 12345;
}
