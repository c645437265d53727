"""Optional numba kernels for :func:`basewatch.objects.tile_objects` (pixels to objects).

Import-safe without numba: :data:`HAVE_NUMBA` is then False and the pure-numpy path
in :mod:`basewatch.objects` is used. The kernels reproduce the numpy path exactly
(the same float32 operations in the same order, integer moments, float64 sums
accumulated in raster order); ``tests/test_objects.py`` checks that they agree bit
for bit.

One parallel pass over the two inputs computes, per strip of rows, the squared CVA
magnitude, the change mask, a 2 x 2 opening and the runs of changed pixels; nothing
image-sized is allocated. A serial union-find joins runs into 8-connected components,
and a last pass over the (sparse) runs gathers per-component moments and change.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

try:  # pragma: no cover - exercised when numba is installed
    import numba
    from numba import njit, prange

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    HAVE_NUMBA = False

__all__ = ["HAVE_NUMBA", "runs_to_components", "set_threads", "strip_runs"]


if HAVE_NUMBA:

    @njit(cache=True, nogil=True, inline="always")
    def _pixel_delta(
        before: Any, after: Any, r: int, c: int, gain: Any, bias: Any
    ) -> tuple[np.float32, np.float32]:
        """Squared CVA magnitude and summed band difference of one pixel (float32, bands
        in order: the operation order of every path)."""
        q = np.float32(0.0)
        t = np.float32(0.0)
        for b in range(before.shape[0]):
            d = np.float32(after[b, r, c]) * gain[b] + bias[b] - np.float32(before[b, r, c])
            q = q + d * d
            t = t + d
        return q, t

    @njit(cache=True, nogil=True)
    def _row_mask(
        before: Any,
        after: Any,
        r: int,
        gain: Any,
        bias: Any,
        nodata: Any,
        isint: bool,
        thr2: np.float32,
        sq: Any,
        ok: Any,
        out: Any,
    ) -> None:
        """Change mask of row ``r``: squared magnitude above ``thr2`` and valid."""
        nb = before.shape[0]
        nc = before.shape[2]
        if nb == 4 and isint:
            # the common Sentinel-2 case, fused: one pass over the 8 input rows, nothing
            # stored but the mask
            g0, g1, g2, g3 = gain[0], gain[1], gain[2], gain[3]
            o0, o1, o2, o3 = bias[0], bias[1], bias[2], bias[3]
            b0, b1, b2, b3 = before[0, r], before[1, r], before[2, r], before[3, r]
            a0, a1, a2, a3 = after[0, r], after[1, r], after[2, r], after[3, r]
            for c in range(nc):
                d0 = np.float32(a0[c]) * g0 + o0 - np.float32(b0[c])
                d1 = np.float32(a1[c]) * g1 + o1 - np.float32(b1[c])
                d2 = np.float32(a2[c]) * g2 + o2 - np.float32(b2[c])
                d3 = np.float32(a3[c]) * g3 + o3 - np.float32(b3[c])
                q = np.float32(0.0) + d0 * d0
                q = q + d1 * d1
                q = q + d2 * d2
                q = q + d3 * d3
                v = (
                    (a0[c] != nodata)
                    & (b0[c] != nodata)
                    & (a1[c] != nodata)
                    & (b1[c] != nodata)
                    & (a2[c] != nodata)
                    & (b2[c] != nodata)
                    & (a3[c] != nodata)
                    & (b3[c] != nodata)
                )
                out[c] = np.uint8(q > thr2) & np.uint8(v)
            return
        for c in range(nc):
            sq[c] = np.float32(0.0)
            ok[c] = 1
        for b in range(nb):
            g = gain[b]
            o = bias[b]
            brow = before[b, r]
            arow = after[b, r]
            for c in range(nc):
                d = np.float32(arow[c]) * g + o - np.float32(brow[c])
                sq[c] += d * d
            if isint:
                for c in range(nc):
                    ok[c] &= np.uint8(arow[c] != nodata) & np.uint8(brow[c] != nodata)
            else:
                for c in range(nc):
                    ok[c] &= np.uint8(np.isfinite(arow[c])) & np.uint8(np.isfinite(brow[c]))
        for c in range(nc):
            out[c] = np.uint8(sq[c] > thr2) & ok[c]

    @njit(cache=True, nogil=True)
    def _emit(
        row: Any,
        w64: Any,
        nc: int,
        gr: int,
        before: Any,
        after: Any,
        gain: Any,
        bias: Any,
        runs: Any,
        rsum: Any,
        blk: int,
        n: int,
        cap: int,
        inv: np.float32,
    ) -> int:
        """Append the runs of one opened mask row, each with the float64 sums (pixels
        added left to right) of its pixels' CVA magnitude ``sqrt(sq)`` and mean band
        difference ``sd * inv`` (both float32), recomputed from the inputs: only changed
        pixels pay for them."""
        four = before.shape[0] == 4
        j = 1 if four else 0  # rows of the four-band case (a view of row 0 otherwise)
        b0, b1, b2, b3 = before[0, gr], before[j, gr], before[2 * j, gr], before[3 * j, gr]
        a0, a1, a2, a3 = after[0, gr], after[j, gr], after[2 * j, gr], after[3 * j, gr]
        g0, g1, g2, g3 = gain[0], gain[j], gain[2 * j], gain[3 * j]
        o0, o1, o2, o3 = bias[0], bias[j], bias[2 * j], bias[3 * j]
        c = 0
        while c < nc:
            if (c & 7) == 0:
                while c < nc and w64[c >> 3] == 0:
                    c += 8
                if c >= nc:
                    break
            if row[c] == 0:
                c += 1
                continue
            start = c
            while c < nc and row[c] != 0:
                c += 1
            if n < cap:
                sm = 0.0
                ss = 0.0
                if four:
                    for q in range(start, c):
                        d0 = np.float32(a0[q]) * g0 + o0 - np.float32(b0[q])
                        d1 = np.float32(a1[q]) * g1 + o1 - np.float32(b1[q])
                        d2 = np.float32(a2[q]) * g2 + o2 - np.float32(b2[q])
                        d3 = np.float32(a3[q]) * g3 + o3 - np.float32(b3[q])
                        sq = np.float32(0.0) + d0 * d0
                        sq = sq + d1 * d1
                        sq = sq + d2 * d2
                        sq = sq + d3 * d3
                        sd = np.float32(0.0) + d0
                        sd = sd + d1
                        sd = sd + d2
                        sd = sd + d3
                        sm += np.float64(np.float32(np.sqrt(sq)))
                        ss += np.float64(np.float32(sd * inv))
                else:
                    for q in range(start, c):
                        sq, sd = _pixel_delta(before, after, gr, q, gain, bias)
                        sm += np.float64(np.float32(np.sqrt(sq)))
                        ss += np.float64(np.float32(sd * inv))
                runs[blk, n, 0] = gr
                runs[blk, n, 1] = start
                runs[blk, n, 2] = c
                rsum[blk, n, 0] = sm
                rsum[blk, n, 1] = ss
            n += 1
        return n

    @njit(cache=True, parallel=True)
    def _block_runs(
        before: Any,
        after: Any,
        gain: Any,
        bias: Any,
        nodata: Any,
        isint: bool,
        thr2: np.float32,
        opening: bool,
        nblk: int,
        cap: int,
    ) -> tuple[Any, Any, Any]:
        nr = before.shape[1]
        nc = before.shape[2]
        ncp = ((nc + 7) // 8) * 8
        runs = np.empty((nblk, cap, 3), dtype=np.int32)
        rsum = np.empty((nblk, cap, 2), dtype=np.float64)
        counts = np.zeros(nblk, dtype=np.int64)
        inv = np.float32(1.0) / np.float32(before.shape[0])
        for blk in prange(nblk):
            r0 = blk * nr // nblk
            r1 = (blk + 1) * nr // nblk
            if r1 <= r0:
                continue
            # rolling buffers: three mask rows, two block rows, one output row
            m3 = np.zeros((3, ncp), dtype=np.uint8)
            sq = np.empty(nc, dtype=np.float32)
            ok = np.empty(nc, dtype=np.uint8)
            e2 = np.zeros((2, ncp), dtype=np.uint8)
            zero = np.zeros(ncp, dtype=np.uint8)
            orow = np.zeros(ncp, dtype=np.uint8)
            o64 = orow.view(np.uint64)
            n = 0
            ra = max(r0 - 1, 0) if opening else r0
            rb = min(r1 + 1, nr) if opening else r1
            for r in range(ra, rb):
                sl = r % 3
                _row_mask(before, after, r, gain, bias, nodata, isint, thr2, sq, ok, m3[sl])
                if not opening:
                    n = _emit(
                        m3[sl],
                        m3[sl].view(np.uint64),
                        nc,
                        r,
                        before,
                        after,
                        gain,
                        bias,
                        runs,
                        rsum,
                        blk,
                        n,
                        cap,
                        inv,
                    )
                    continue
                if r - 1 < ra:
                    continue
                # block row r - 1 from mask rows r - 1 and r
                top = m3[(r - 1) % 3]
                bot = m3[sl]
                ecur = e2[(r - 1) % 2]
                for c in range(nc - 1):
                    ecur[c] = top[c] & top[c + 1] & bot[c] & bot[c + 1]
                o = r - 1
                if o < r0:
                    continue
                eprev = e2[o % 2 ^ 1] if o - 1 >= ra else zero
                orow[0] = ecur[0] | eprev[0]
                for c in range(1, nc):
                    orow[c] = ecur[c] | eprev[c] | ecur[c - 1] | eprev[c - 1]
                n = _emit(orow, o64, nc, o, before, after, gain, bias, runs, rsum, blk, n, cap, inv)
            if opening and r1 == nr:
                # the last image row: no block starts on it
                o = nr - 1
                eprev = e2[o % 2 ^ 1] if o - 1 >= ra else zero
                orow[0] = eprev[0]
                for c in range(1, nc):
                    orow[c] = eprev[c] | eprev[c - 1]
                n = _emit(orow, o64, nc, o, before, after, gain, bias, runs, rsum, blk, n, cap, inv)
            counts[blk] = n
        return runs, rsum, counts

    @njit(cache=True)
    def _find(parent: Any, i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            nxt = parent[i]
            parent[i] = root
            i = nxt
        return root

    @njit(cache=True)
    def _label_runs(row: Any, c0: Any, c1: Any) -> tuple[Any, int]:
        n = row.shape[0]
        parent = np.arange(n, dtype=np.int32)
        ps = 0
        pe = 0
        i = 0
        while i < n:
            r = row[i]
            j = i
            while j < n and row[j] == r:
                j += 1
            if pe > ps and row[ps] == r - 1:
                p = ps
                for q in range(i, j):
                    while p < pe and c1[p] < c0[q]:
                        p += 1
                    k = p
                    while k < pe and c0[k] <= c1[q]:
                        a = _find(parent, q)
                        b = _find(parent, k)
                        if a < b:
                            parent[b] = a
                        elif b < a:
                            parent[a] = b
                        k += 1
            ps = i
            pe = j
            i = j
        # a root is the first run of its component (unions keep the smaller index), so
        # parent[i] <= i, and in raster order a run's parent has been labelled before
        # it: labels are stored in place as -label, in one pass
        nlab = 0
        for i in range(n):
            p = parent[i]
            if p == i:
                nlab += 1
                parent[i] = -nlab
            else:
                parent[i] = parent[p]  # p < i: already -label
        return parent, nlab

    @njit(cache=True)
    def _concat_runs(runs: Any, rsum: Any, counts: Any) -> tuple[Any, Any, Any, Any]:
        total = 0
        for b in range(counts.shape[0]):
            total += counts[b]
        row = np.empty(total, dtype=np.int32)
        c0 = np.empty(total, dtype=np.int32)
        c1 = np.empty(total, dtype=np.int32)
        sums = np.empty((total, 2), dtype=np.float64)
        i = 0
        for b in range(counts.shape[0]):
            for j in range(counts[b]):
                row[i] = runs[b, j, 0]
                c0[i] = runs[b, j, 1]
                c1[i] = runs[b, j, 2]
                sums[i, 0] = rsum[b, j, 0]
                sums[i, 1] = rsum[b, j, 1]
                i += 1
        return row, c0, c1, sums

    @njit(cache=True)
    def _gather(
        row: Any, c0: Any, c1: Any, sums: Any, labels: Any, nlab: int, min_pixels: int
    ) -> tuple[Any, Any, Any, Any]:
        mom = np.zeros((nlab + 1, 6), dtype=np.int64)  # area, sr, sc, srr, scc, src
        box = np.empty((nlab + 1, 4), dtype=np.int64)  # rmin, cmin, rmax, cmax (excl.)
        box[:, 0] = np.iinfo(np.int64).max
        box[:, 1] = np.iinfo(np.int64).max
        box[:, 2] = -1
        box[:, 3] = -1
        msum = np.zeros(nlab + 1, dtype=np.float64)
        ssum = np.zeros(nlab + 1, dtype=np.float64)
        for i in range(row.shape[0]):
            lab = -labels[i]
            r = np.int64(row[i])
            a = np.int64(c0[i])
            b = np.int64(c1[i])
            k = b - a
            # sums over the run's columns a..b-1, exact integers
            s1 = (a + b - 1) * k // 2
            s2 = ((b - 1) * b * (2 * b - 1) - (a - 1) * a * (2 * a - 1)) // 6
            mom[lab, 0] += k
            mom[lab, 1] += r * k
            mom[lab, 2] += s1
            mom[lab, 3] += r * r * k
            mom[lab, 4] += s2
            mom[lab, 5] += r * s1
            # run sums added in raster order (the order numpy.bincount adds in)
            msum[lab] += sums[i, 0]
            ssum[lab] += sums[i, 1]
            box[lab, 0] = min(box[lab, 0], r)
            box[lab, 1] = min(box[lab, 1], a)
            box[lab, 2] = max(box[lab, 2], r + 1)
            box[lab, 3] = max(box[lab, 3], b)
        # keep the components of at least min_pixels, compacted in place (label order)
        j = 0
        for lab in range(1, nlab + 1):
            if mom[lab, 0] >= min_pixels:
                for q in range(6):
                    mom[j, q] = mom[lab, q]
                for q in range(4):
                    box[j, q] = box[lab, q]
                msum[j] = msum[lab]
                ssum[j] = ssum[lab]
                j += 1
        return mom[:j], box[:j], msum[:j], ssum[:j]


def strip_runs(
    before: NDArray[Any],
    after: NDArray[Any],
    *,
    gain: NDArray[np.float32],
    bias: NDArray[np.float32],
    nodata: float,
    thr2: float,
    opening: bool,
    blocks: int | None = None,
    expected_fraction: float = 0.01,
) -> tuple[NDArray[np.int32], NDArray[np.float64], NDArray[np.int64]]:
    """Runs of changed pixels after the opening, per block of rows.

    Returns ``runs`` (blocks, cap, 3) int32: ``(row, col_start, col_end)``; ``sums``
    (blocks, cap, 2) float64: per run, the CVA magnitude and the mean band difference
    of its pixels summed left to right; ``counts`` (blocks,): runs used in each block.
    Blocks and runs are in raster order.

    The rows are cut into ``blocks`` (default 4 per thread) processed in parallel, each
    streaming its rows through three-row mask buffers. ``expected_fraction`` of changed
    pixels sizes the output buffers (they grow and the pass is redone if one overflows).
    """
    isint = bool(np.issubdtype(before.dtype, np.integer))
    nd = before.dtype.type(nodata) if isint else before.dtype.type(0)
    nr, nc = before.shape[1:]
    nblk = max(1, min(nr, blocks if blocks is not None else 4 * numba.get_num_threads()))
    rows = -(-nr // nblk)
    # a run holds at least one pixel (two after the opening)
    cap = int(1.5 * expected_fraction * rows * nc / (2 if opening else 1)) + nc + 64
    while True:
        runs, sums, counts = _block_runs(
            before, after, gain, bias, nd, isint, np.float32(thr2), opening, nblk, cap
        )
        used = int(counts.max(initial=0))
        if used <= cap:
            break
        cap = used
    return runs, sums, counts


def runs_to_components(
    runs: NDArray[np.int32],
    sums: NDArray[np.float64],
    counts: NDArray[np.int64],
    *,
    min_pixels: int = 1,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], int]:
    """8-connected components of the runs (labelled by first pixel in raster order, as
    ``scipy.ndimage.label``): integer moments, boxes, and the magnitude and signed
    change summed run by run in raster order (as ``numpy.bincount``), for the
    components of at least ``min_pixels`` pixels (in label order); and the number of
    components before that cut."""
    row, c0, c1, flat = _concat_runs(runs, sums, counts)
    labels, n = _label_runs(row, c0, c1)
    mom, box, msum, ssum = _gather(row, c0, c1, flat, labels, n, min_pixels)
    return mom, box, msum, ssum, int(n)


def set_threads(n: int) -> None:
    """Set numba's thread count (benchmarks)."""
    if HAVE_NUMBA:
        numba.set_num_threads(n)
