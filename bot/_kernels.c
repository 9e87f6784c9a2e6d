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
    if (itemsize && b->view.itemsize != itemsize) { /* 0: any size, checked by the caller */
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

/* Release each buffer of a NULL-terminated list (held or not). */
static void release_all(Buf **list) {
    for (; *list; list++)
        release(*list);
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

/* What the block loop reads: one index's postings and the question's rows in it. */
typedef struct {
    const int32_t *ix;       /* local passage of every posting */
    const double *w;         /* its BM25 weight; NULL: weighed from the raw counts below */
    const uint16_t *tf16;    /* raw term frequencies (one of these two) */
    const uint32_t *tf32;
    const double *norms;     /* k1 * (1 - b + b * dl / avgdl) per local passage */
    const uint8_t *alive;    /* per local passage; NULL: all */
    const double *idf;       /* per question term */
    double k1p1;             /* k1 + 1 */
    int64_t n_docs, pid0;    /* local passages; the first one's passage id */
    int64_t *at, *end;       /* each question term's postings (end == at: none) */
    Py_ssize_t n_terms;
} Rows;

/* Add up every posting of the question's rows, a block of passages at a time, and offer
 * each passage touched to `best`. 0, or -1 if a posting is out of order or out of range. */
static int score_blocks(Rows *r, Best *best, double *acc, uint8_t *seen, int32_t *touched) {
    int bad = 0;
    for (int64_t base = 0; base < r->n_docs && !bad; base += BLOCK) {
        int64_t stop = base + BLOCK;
        Py_ssize_t n_touched = 0;
        for (Py_ssize_t q = 0; q < r->n_terms; q++) { /* in question order */
            int64_t j = r->at[q], z = r->end[q];
            for (; j < z; j++) {
                int64_t d = r->ix[j];
                if (d >= stop)
                    break;
                if (d < base) { /* not ascending, or negative: not an index of ours */
                    bad = 1;
                    break;
                }
                if (r->alive && !r->alive[d])
                    continue;
                double w;
                if (r->w) {
                    w = r->w[j];
                } else {
                    /* rank-bm25, in its order of float operations (bot/live_postings.py):
                     * idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))) */
                    double tf = r->tf16 ? (double)r->tf16[j] : (double)r->tf32[j];
                    w = tf * r->k1p1;
                    w /= r->norms[d] + tf;
                    w *= r->idf[q];
                }
                d -= base;
                if (!seen[d]) {
                    seen[d] = 1;
                    touched[n_touched++] = (int32_t)d;
                }
                acc[d] += w;
            }
            r->at[q] = j;
        }
        for (Py_ssize_t i = 0; i < n_touched; i++) {
            int32_t d = touched[i];
            if (best->k > 0)
                offer(best, acc[d], r->pid0 + base + d);
            acc[d] = 0.0;
            seen[d] = 0;
        }
    }
    for (Py_ssize_t q = 0; q < r->n_terms && !bad; q++)
        bad = r->at[q] != r->end[q]; /* a posting past the last passage */
    return bad ? -1 : 0;
}

/* Find each question term's postings (a negative term: none here). */
static int find_rows(Rows *r, const int64_t *p, Py_ssize_t n_rows, Py_ssize_t n_post,
                     const int64_t *terms) {
    r->at = malloc((size_t)(r->n_terms + 1) * sizeof(int64_t));
    r->end = malloc((size_t)(r->n_terms + 1) * sizeof(int64_t));
    if (!r->at || !r->end) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t q = 0; q < r->n_terms; q++) {
        int64_t row = terms[q];
        r->at[q] = r->end[q] = 0;
        if (row < 0 && !r->w)
            continue;
        if (row < 0 || row >= n_rows || p[row] < 0 || p[row] > p[row + 1]
            || p[row + 1] > n_post) {
            PyErr_SetString(PyExc_ValueError, "first stage: a term outside the index");
            return -1;
        }
        r->at[q] = p[row];
        r->end[q] = p[row + 1];
    }
    return 0;
}

/* The block loop, then the k best in id order into `best`'s arrays; their count. */
static PyObject *run(Rows *r, Best *best) {
    double *acc = calloc(BLOCK, sizeof(double));
    uint8_t *seen = calloc(BLOCK, 1);
    int32_t *touched = malloc(BLOCK * sizeof(int32_t));
    PyObject *result = NULL;
    if (!acc || !seen || !touched) {
        PyErr_NoMemory();
        goto done;
    }
    int bad;
    /* The buffers stay held, so no one can resize them while other threads run. */
    Py_BEGIN_ALLOW_THREADS
    bad = score_blocks(r, best, acc, seen, touched);
    Py_END_ALLOW_THREADS
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "first stage: a posting points outside the index");
        goto done;
    }
    if (in_id_order(best) < 0) {
        PyErr_NoMemory();
        goto done;
    }
    result = PyLong_FromSsize_t(best->size);
done:
    free(acc);
    free(seen);
    free(touched);
    return result;
}

/* The question's rows found, then `run` into the output buffers (both entry points). */
static PyObject *search(Rows *r, Buf *ptr, Buf *idx, Buf *terms, Buf *ids, Buf *scores,
                        Py_ssize_t k) {
    PyObject *result = NULL;
    r->n_terms = LEN(*terms);
    if (find_rows(r, ptr->view.buf, LEN(*ptr) - 1, LEN(*idx), terms->view.buf) == 0) {
        Best best = {scores->view.buf, ids->view.buf, 0, k};
        result = run(r, &best);
    }
    free(r->at);
    free(r->end);
    return result;
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
    Rows r = {0};
    PyObject *result = NULL;
    if (get_buf(o_ptr, &ptr, 8, 0, "indptr") < 0 || get_buf(o_idx, &idx, 4, 0, "indices") < 0
        || get_buf(o_data, &data, 8, 0, "data") < 0 || get_buf(o_terms, &terms, 8, 0, "terms") < 0
        || get_buf(o_ids, &ids, 8, 1, "out_ids") < 0
        || get_buf(o_scores, &scores, 8, 1, "out_scores") < 0)
        goto done;
    if (n_docs < 0 || k < 0 || LEN(ids) < k || LEN(scores) < k || LEN(idx) != LEN(data)) {
        PyErr_SetString(PyExc_ValueError, "first_stage: sizes do not agree");
        goto done;
    }
    r.ix = idx.view.buf;
    r.w = data.view.buf;
    r.n_docs = n_docs;
    result = search(&r, &ptr, &idx, &terms, &ids, &scores, k);
done:
    release_all((Buf *[]){&ptr, &idx, &data, &terms, &ids, &scores, NULL});
    return result;
}

/* first_stage_raw(indptr int64, indices int32, tf uint16|uint32, norms float64,
 *                 alive bool, terms int64, idf float64, k1 + 1, pid0, k,
 *                 out_ids int64[k], out_scores float64[k]) -> count
 * As first_stage, for one layer of a live index (bot/live_postings.py): weights made from
 * the raw counts with the current statistics, passages not alive skipped, terms < 0 (not in
 * this layer) skipped, ids offset by pid0. */
static PyObject *first_stage_raw(PyObject *self, PyObject *args) {
    PyObject *o_ptr, *o_idx, *o_tf, *o_norms, *o_alive, *o_terms, *o_idf, *o_ids, *o_scores;
    double k1p1;
    Py_ssize_t pid0, k;
    if (!PyArg_ParseTuple(args, "OOOOOOOdnnOO", &o_ptr, &o_idx, &o_tf, &o_norms, &o_alive,
                          &o_terms, &o_idf, &k1p1, &pid0, &k, &o_ids, &o_scores))
        return NULL;
    Buf ptr = {0}, idx = {0}, tf = {0}, norms = {0}, alive = {0}, terms = {0}, idf = {0},
        ids = {0}, scores = {0};
    Rows r = {0};
    PyObject *result = NULL;
    if (get_buf(o_ptr, &ptr, 8, 0, "indptr") < 0 || get_buf(o_idx, &idx, 4, 0, "indices") < 0
        || get_buf(o_tf, &tf, 0, 0, "tf") < 0 || get_buf(o_norms, &norms, 8, 0, "norms") < 0
        || get_buf(o_alive, &alive, 1, 0, "alive") < 0
        || get_buf(o_terms, &terms, 8, 0, "terms") < 0 || get_buf(o_idf, &idf, 8, 0, "idf") < 0
        || get_buf(o_ids, &ids, 8, 1, "out_ids") < 0
        || get_buf(o_scores, &scores, 8, 1, "out_scores") < 0)
        goto done;
    if (tf.view.itemsize != 2 && tf.view.itemsize != 4) {
        PyErr_SetString(PyExc_TypeError, "first_stage_raw: tf of 2 or 4 bytes expected");
        goto done;
    }
    if (pid0 < 0 || k < 0 || LEN(ids) < k || LEN(scores) < k || LEN(tf) != LEN(idx)
        || LEN(alive) != LEN(norms) || LEN(idf) != LEN(terms)) {
        PyErr_SetString(PyExc_ValueError, "first_stage_raw: sizes do not agree");
        goto done;
    }
    r.ix = idx.view.buf;
    if (tf.view.itemsize == 2)
        r.tf16 = tf.view.buf;
    else
        r.tf32 = tf.view.buf;
    r.norms = norms.view.buf;
    r.alive = alive.view.buf;
    r.idf = idf.view.buf;
    r.k1p1 = k1p1;
    r.n_docs = LEN(norms);
    r.pid0 = pid0;
    result = search(&r, &ptr, &idx, &terms, &ids, &scores, k);
done:
    release_all((Buf *[]){&ptr, &idx, &tf, &norms, &alive, &terms, &idf, &ids, &scores, NULL});
    return result;
}

/* weigh_row(indices int32, tf uint16|uint32, norms float64, alive bool, idf, k1 + 1, pid0,
 *           out_ids int32, out_weights float64) -> count
 * One term's postings in one layer of a live index, weighed with the current statistics as
 * bot/live_postings.py `_row` weighs them (the same float operations), passages not alive
 * left out, ids offset by pid0: one pass instead of numpy's eight. */
static PyObject *weigh_row(PyObject *self, PyObject *args) {
    PyObject *o_idx, *o_tf, *o_norms, *o_alive, *o_ids, *o_w;
    double idf, k1p1;
    Py_ssize_t pid0;
    if (!PyArg_ParseTuple(args, "OOOOddnOO", &o_idx, &o_tf, &o_norms, &o_alive, &idf, &k1p1,
                          &pid0, &o_ids, &o_w))
        return NULL;
    Buf idx = {0}, tf = {0}, norms = {0}, alive = {0}, ids = {0}, w = {0};
    PyObject *result = NULL;
    if (get_buf(o_idx, &idx, 4, 0, "indices") < 0 || get_buf(o_tf, &tf, 0, 0, "tf") < 0
        || get_buf(o_norms, &norms, 8, 0, "norms") < 0 || get_buf(o_alive, &alive, 1, 0, "alive") < 0
        || get_buf(o_ids, &ids, 4, 1, "out_ids") < 0 || get_buf(o_w, &w, 8, 1, "out_weights") < 0)
        goto done;
    Py_ssize_t n = LEN(idx), n_docs = LEN(norms);
    if ((tf.view.itemsize != 2 && tf.view.itemsize != 4) || LEN(tf) != n
        || LEN(alive) != n_docs || LEN(ids) < n || LEN(w) < n || pid0 < 0
        || pid0 + n_docs > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "weigh_row: sizes do not agree");
        goto done;
    }
    const int32_t *ix = idx.view.buf;
    const uint16_t *t16 = tf.view.itemsize == 2 ? tf.view.buf : NULL;
    const uint32_t *t32 = tf.view.itemsize == 4 ? tf.view.buf : NULL;
    const double *nm = norms.view.buf;
    const uint8_t *al = alive.view.buf;
    int32_t *out_i = ids.view.buf;
    double *out_w = w.view.buf;
    Py_ssize_t kept = 0;
    int bad = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t j = 0; j < n; j++) {
        int32_t d = ix[j];
        if (d < 0 || d >= n_docs) {
            bad = 1;
            break;
        }
        if (!al[d])
            continue;
        double f = t16 ? (double)t16[j] : (double)t32[j];
        double x = f * k1p1;
        x /= nm[d] + f;
        x *= idf;
        out_i[kept] = (int32_t)(pid0 + d);
        out_w[kept] = x;
        kept++;
    }
    Py_END_ALLOW_THREADS
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "weigh_row: a posting points outside the layer");
        goto done;
    }
    result = PyLong_FromSsize_t(kept);
done:
    release_all((Buf *[]){&idx, &tf, &norms, &alive, &ids, &w, NULL});
    return result;
}

/* -- the tokenizer's words --------------------------------------------------------------- */

/* Byte classes and the word table's layout, as bot/text/chunk.py and chunk_words.py set them. */
#define ALNUM 1
#define JOIN 2
#define EMPTY_CODE (-(INT64_C(1) << 62))
#define C1 UINT64_C(0x9E3779B97F4A7C15)
#define C2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define C3 UINT64_C(0x165667B19E3779F9)

static inline Py_ssize_t utf8_width(uint8_t b) {
    return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

static inline uint64_t load_le(const uint8_t *p, Py_ssize_t n) {
    uint64_t v = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* scan_words(raw bytes, cls uint8, k0 uint64, k1 uint64, code int64, bits,
 *            starts int64, ends int64, codes int64) -> count
 * Every word of the chunk: a run of word characters, a joining character between two of them
 * included (bot/text/chunk_words.py `_words`), as byte (start, end); and its code in the
 * word table (`_Table.lookup` of its first 16 bytes), EMPTY where the table lacks it or the
 * word is longer than 16 bytes (those the caller looks up). */
static PyObject *scan_words(PyObject *self, PyObject *args) {
    PyObject *o_raw, *o_cls, *o_k0, *o_k1, *o_code, *o_starts, *o_ends, *o_codes;
    int bits;
    if (!PyArg_ParseTuple(args, "OOOOOiOOO", &o_raw, &o_cls, &o_k0, &o_k1, &o_code, &bits,
                          &o_starts, &o_ends, &o_codes))
        return NULL;
    Buf raw = {0}, cls = {0}, k0 = {0}, k1 = {0}, code = {0}, starts = {0}, ends = {0},
        codes = {0};
    PyObject *result = NULL;
    if (get_buf(o_raw, &raw, 1, 0, "raw") < 0 || get_buf(o_cls, &cls, 1, 0, "cls") < 0
        || get_buf(o_k0, &k0, 8, 0, "k0") < 0 || get_buf(o_k1, &k1, 8, 0, "k1") < 0
        || get_buf(o_code, &code, 8, 0, "code") < 0 || get_buf(o_starts, &starts, 8, 1, "starts") < 0
        || get_buf(o_ends, &ends, 8, 1, "ends") < 0 || get_buf(o_codes, &codes, 8, 1, "codes") < 0)
        goto done;
    Py_ssize_t n = LEN(raw), room = LEN(starts);
    /* 24 zero bytes end the chunk (chunk.py PAD): every read below stays inside */
    if (bits < 1 || bits > 40 || LEN(cls) != n || n < 24 || LEN(k0) != ((Py_ssize_t)1 << bits)
        || LEN(k1) != LEN(k0) || LEN(code) != LEN(k0) || LEN(ends) != room
        || LEN(codes) != room || room < n / 2 + 1) {
        PyErr_SetString(PyExc_ValueError, "scan_words: sizes do not agree");
        goto done;
    }
    const uint8_t *b = raw.view.buf, *c = cls.view.buf;
    const uint64_t *t0 = k0.view.buf, *t1 = k1.view.buf;
    const int64_t *tc = code.view.buf;
    int64_t *out_s = starts.view.buf, *out_e = ends.view.buf, *out_c = codes.view.buf;
    uint64_t mask = ((uint64_t)1 << bits) - 1;
    Py_ssize_t found = 0, limit = n - 24;
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t i = 1, start = -1;
    while (i <= limit) {
        Py_ssize_t step = 1;
        int word = c[i] & ALNUM;
        if (!word && (c[i] & JOIN) && (b[i] < 0x80 || b[i] >= 0xC0) && (c[i - 1] & ALNUM)) {
            Py_ssize_t w = utf8_width(b[i]);
            if (c[i + w] & ALNUM) { /* between two word characters: part of the word */
                word = 1;
                step = w < 3 ? w : 3;
            }
        }
        if (word && start < 0) {
            start = i;
        } else if (!word && start >= 0) {
            Py_ssize_t size = i - start;
            uint64_t a = load_le(b + start, size < 8 ? size : 8);
            uint64_t z = size > 8 ? load_le(b + start + 8, size < 16 ? size - 8 : 8) : 0;
            int64_t got = EMPTY_CODE;
            if (size <= 16) {
                uint64_t h = a * C1;
                h ^= z * C2;
                h ^= h >> 29;
                h *= C3;
                uint64_t slot = h >> (64 - bits);
                for (;;) {
                    int64_t held = tc[slot];
                    if (held == EMPTY_CODE)
                        break;
                    if (t0[slot] == a && t1[slot] == z) {
                        got = held;
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
            out_s[found] = start;
            out_e[found] = i;
            out_c[found] = got;
            found++;
            start = -1;
        }
        i += step;
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(found);
done:
    release_all((Buf *[]){&raw, &cls, &k0, &k1, &code, &starts, &ends, &codes, NULL});
    return result;
}

static PyMethodDef methods[] = {
    {"first_stage", first_stage, METH_VARARGS,
     "BM25 of the passages holding the terms, and the k best of them in id order."},
    {"first_stage_raw", first_stage_raw, METH_VARARGS,
     "first_stage for one layer of a live index, weighed from raw counts."},
    {"weigh_row", weigh_row, METH_VARARGS,
     "One term's live postings in one layer, weighed with the current statistics."},
    {"scan_words", scan_words, METH_VARARGS,
     "The words of a tokenizer chunk, as byte spans, with their codes in the word table."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_kernels", NULL, -1, methods};

PyMODINIT_FUNC PyInit__kernels(void) { return PyModule_Create(&module); }
