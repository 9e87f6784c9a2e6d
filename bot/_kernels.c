/* Compiled loops for the few places where numpy's whole-array steps cost more than the work:
 * the first stage at a million passages (bot/index.py `retrieve`) and the index build's
 * tokenizer and counting (bot/text/, bot/postings.py).
 *
 * Optional: `pip install` builds it when a C compiler is there (setup.py), and every caller
 * has the numpy path it replaces, which the tests check it against (tests/test_kernels.py).
 * Arrays come in through the buffer protocol (no numpy headers needed to build), checked for
 * their item size and bounds; a bad one raises, never reads out of bounds.
 *
 * Floats are added in the order the numpy path adds them, so results are equal, not close
 * (setup.py turns off FMA contraction, which would round differently).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* -- buffers --------------------------------------------------------------------------- */

typedef struct {
    Py_buffer view;
    int held;
} Buf;

static int get_buf(PyObject *obj, Buf *b, Py_ssize_t itemsize, int writable, const char *name) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    b->held = 0;
    if (PyObject_GetBuffer(obj, &b->view, flags) < 0)
        return -1;
    b->held = 1;
    if (b->view.itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: items of %zd bytes expected, got %zd", name,
                     itemsize, b->view.itemsize);
        return -1;
    }
    return 0;
}

static void release(Buf *b) {
    if (b->held) {
        PyBuffer_Release(&b->view);
        b->held = 0;
    }
}

#define LEN(b) ((b).view.len / (b).view.itemsize)

/* -- the first stage -------------------------------------------------------------------- */

/* Scores are added a block of passages at a time: each term's postings are sorted by
 * passage, so one pointer per term walks through the block, and the block's scores stay in
 * the CPU's cache (a score per passage of a million, added to in posting order, missed the
 * cache at every posting: 15-30 ns each, as slow as numpy). */
#define BLOCK 16384

/* Is (score a, id ia) worse than (score b, id ib)? Lower score, or equal and higher id. */
static inline int worse(double a, int64_t ia, double b, int64_t ib) {
    return a < b || (a == b && ia > ib);
}

/* The k best seen so far: a heap with the worst kept one on top. */
typedef struct {
    double *score;
    int64_t *id;
    Py_ssize_t size, k;
} Best;

static void swap_at(Best *h, Py_ssize_t i, Py_ssize_t j) {
    double s = h->score[i];
    h->score[i] = h->score[j];
    h->score[j] = s;
    int64_t t = h->id[i];
    h->id[i] = h->id[j];
    h->id[j] = t;
}

static void offer(Best *h, double s, int64_t d) {
    if (h->size < h->k) {
        Py_ssize_t c = h->size++;
        h->score[c] = s;
        h->id[c] = d;
        while (c > 0) {
            Py_ssize_t parent = (c - 1) / 2;
            if (!worse(h->score[c], h->id[c], h->score[parent], h->id[parent]))
                break;
            swap_at(h, c, parent);
            c = parent;
        }
        return;
    }
    if (!worse(h->score[0], h->id[0], s, d))
        return;
    h->score[0] = s;
    h->id[0] = d;
    for (Py_ssize_t i = 0;;) {
        Py_ssize_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < h->size && worse(h->score[l], h->id[l], h->score[w], h->id[w]))
            w = l;
        if (r < h->size && worse(h->score[r], h->id[r], h->score[w], h->id[w]))
            w = r;
        if (w == i)
            return;
        swap_at(h, i, w);
        i = w;
    }
}

typedef struct {
    int64_t id;
    double score;
} Entry;

static int by_id(const void *a, const void *b) {
    int64_t x = ((const Entry *)a)->id, y = ((const Entry *)b)->id;
    return (x > y) - (x < y);
}

/* The heap's entries in id order (ids are distinct). */
static int in_id_order(Best *h) {
    Entry *e = malloc((size_t)(h->size + 1) * sizeof(Entry));
    if (!e)
        return -1;
    for (Py_ssize_t i = 0; i < h->size; i++)
        e[i] = (Entry){h->id[i], h->score[i]};
    qsort(e, (size_t)h->size, sizeof(Entry), by_id);
    for (Py_ssize_t i = 0; i < h->size; i++) {
        h->id[i] = e[i].id;
        h->score[i] = e[i].score;
    }
    free(e);
    return 0;
}

/* first_stage(indptr int64, indices int32, data float64, terms int64, n_docs, k,
 *             out_ids int64[k], out_scores float64[k]) -> count
 * BM25 of every passage holding a question term (each term's weights added in question
 * order, from 0.0: numpy's bincount over the rows laid end to end adds the same), then the
 * k best by score, ties to the lowest ids, written in id order. */
static PyObject *first_stage(PyObject *self, PyObject *args) {
    PyObject *o_ptr, *o_idx, *o_data, *o_terms, *o_ids, *o_scores;
    Py_ssize_t n_docs, k;
    if (!PyArg_ParseTuple(args, "OOOOnnOO", &o_ptr, &o_idx, &o_data, &o_terms, &n_docs, &k,
                          &o_ids, &o_scores))
        return NULL;
    Buf ptr = {0}, idx = {0}, data = {0}, terms = {0}, ids = {0}, scores = {0};
    PyObject *result = NULL;
    int64_t *at = NULL, *end = NULL;
    double *acc = NULL;
    uint8_t *seen = NULL;
    int32_t *touched = NULL;
    if (get_buf(o_ptr, &ptr, 8, 0, "indptr") < 0 || get_buf(o_idx, &idx, 4, 0, "indices") < 0
        || get_buf(o_data, &data, 8, 0, "data") < 0 || get_buf(o_terms, &terms, 8, 0, "terms") < 0
        || get_buf(o_ids, &ids, 8, 1, "out_ids") < 0
        || get_buf(o_scores, &scores, 8, 1, "out_scores") < 0)
        goto done;
    Py_ssize_t n_terms = LEN(terms), n_rows = LEN(ptr) - 1, n_post = LEN(idx);
    if (n_docs < 0 || k < 0 || LEN(ids) < k || LEN(scores) < k || LEN(idx) != LEN(data)) {
        PyErr_SetString(PyExc_ValueError, "first_stage: sizes do not agree");
        goto done;
    }
    const int64_t *p = ptr.view.buf, *t = terms.view.buf;
    const int32_t *ix = idx.view.buf;
    const double *w = data.view.buf;
    at = malloc((size_t)(n_terms + 1) * sizeof(int64_t));
    end = malloc((size_t)(n_terms + 1) * sizeof(int64_t));
    if (!at || !end) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t q = 0; q < n_terms; q++) {
        int64_t row = t[q];
        if (row < 0 || row >= n_rows || p[row] < 0 || p[row] > p[row + 1] || p[row + 1] > n_post) {
            PyErr_SetString(PyExc_ValueError, "first_stage: a term outside the index");
            goto done;
        }
        at[q] = p[row];
        end[q] = p[row + 1];
    }
    acc = calloc(BLOCK, sizeof(double));
    seen = calloc(BLOCK, 1);
    touched = malloc(BLOCK * sizeof(int32_t));
    if (!acc || !seen || !touched) {
        PyErr_NoMemory();
        goto done;
    }
    Best best = {scores.view.buf, ids.view.buf, 0, k};
    int bad = 0;
    /* The buffers stay held, so no one can resize them while other threads run. */
    Py_BEGIN_ALLOW_THREADS
    for (int64_t base = 0; base < n_docs && !bad; base += BLOCK) {
        int64_t stop = base + BLOCK;
        Py_ssize_t n_touched = 0;
        for (Py_ssize_t q = 0; q < n_terms; q++) { /* in question order */
            int64_t j = at[q], z = end[q];
            for (; j < z; j++) {
                int64_t d = ix[j];
                if (d >= stop)
                    break;
                d -= base;
                if (d < 0) { /* not ascending, or negative: not an index of ours */
                    bad = 1;
                    break;
                }
                if (!seen[d]) {
                    seen[d] = 1;
                    touched[n_touched++] = (int32_t)d;
                }
                acc[d] += w[j];
            }
            at[q] = j;
        }
        for (Py_ssize_t i = 0; i < n_touched; i++) {
            int32_t d = touched[i];
            if (k > 0)
                offer(&best, acc[d], base + d);
            acc[d] = 0.0;
            seen[d] = 0;
        }
    }
    for (Py_ssize_t q = 0; q < n_terms && !bad; q++)
        bad = at[q] != end[q]; /* a posting past the last passage */
    Py_END_ALLOW_THREADS
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "first_stage: a posting points outside the index");
        goto done;
    }
    if (in_id_order(&best) < 0) {
        PyErr_NoMemory();
        goto done;
    }
    result = PyLong_FromSsize_t(best.size);
done:
    free(at);
    free(end);
    free(acc);
    free(seen);
    free(touched);
    release(&ptr);
    release(&idx);
    release(&data);
    release(&terms);
    release(&ids);
    release(&scores);
    return result;
}

static PyMethodDef methods[] = {
    {"first_stage", first_stage, METH_VARARGS,
     "BM25 of the passages holding the terms, and the k best of them in id order."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernels", NULL, -1, methods};

PyMODINIT_FUNC PyInit__kernels(void) { return PyModule_Create(&module); }
