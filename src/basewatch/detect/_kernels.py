"""Optional numba kernels for :func:`basewatch.detect.changed.tile_objects` (pixels to objects).

Import-safe without numba: :data:`HAVE_NUMBA` is then False and the pure-numpy path
in :mod:`basewatch.detect.components` is used. The kernels reproduce the numpy path exactly
(the same float32 operations in the same order, integer moments, float64 sums
accumulated in raster order); ``tests/test_objects.py`` checks that they agree bit
for bit.

One parallel pass over the two inputs computes, per strip of rows, the squared CVA
magnitude, the change mask, a 2 x 2 opening and the runs of changed pixels; nothing
image-sized is allocated. Union-find joins runs into 8-connected components, in
parallel per block of rows with a serial stitch of the block boundaries, and a parallel
pass over the (sparse) runs labels them and gathers per-component moments and change,
each component summed by one thread in raster order.
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

    @njit(cache=True, nogil=True)
    def _block_union(runs: Any, n: int, o: int, parent: Any) -> int:
        """Union-find over the ``n`` runs of one block (global indices ``o .. o + n``),
        linking 8-connected runs of consecutive rows; then every run points straight at
        its block-local root. Unions keep the smaller index, so a root is the first run
        (raster order) of its block-local component. Returns the number of roots."""
        for q in range(n):
            parent[o + q] = o + q
        ps = 0
        pe = 0
        i = 0
        while i < n:
            r = runs[i, 0]
            j = i
            while j < n and runs[j, 0] == r:
                j += 1
            if pe > ps and runs[ps, 0] == r - 1:
                p = ps
                for q in range(i, j):
                    a0 = runs[q, 1]
                    a1 = runs[q, 2]
                    while p < pe and runs[p, 2] < a0:
                        p += 1
                    k = p
                    while k < pe and runs[k, 1] <= a1:
                        a = _find(parent, o + q)
                        b = _find(parent, o + k)
                        if a < b:
                            parent[b] = a
                        elif b < a:
                            parent[a] = b
                        k += 1
            ps = i
            pe = j
            i = j
        # parent[i] <= i: in index order a run's parent already points at its root
        nroot = 0
        for i in range(o, o + n):
            p = parent[i]
            if p == i:
                nroot += 1
            else:
                parent[i] = parent[p]
        return nroot

    @njit(cache=True, nogil=True)
    def _label_of(parent: Any, i: int) -> int:
        """Label of run ``i`` once every root holds ``-label`` (read only)."""
        p = parent[i]
        while p >= 0:
            p = parent[p]
        return -int(p)

    @njit(cache=True, nogil=True, inline="always")
    def _add_run(
        runs: Any, rsum: Any, j: int, t: int, mom: Any, box: Any, msum: Any, ssum: Any
    ) -> None:
        """Add run ``j`` of a block to component row ``t``: exact integer moments, box,
        and the run's float sums (the caller adds a component's runs in raster order)."""
        r = np.int64(runs[j, 0])
        a = np.int64(runs[j, 1])
        b = np.int64(runs[j, 2])
        k = b - a
        # sums over the run's columns a..b-1, exact integers
        s1 = (a + b - 1) * k // 2
        s2 = ((b - 1) * b * (2 * b - 1) - (a - 1) * a * (2 * a - 1)) // 6
        mom[t, 0] += k
        mom[t, 1] += r * k
        mom[t, 2] += s1
        mom[t, 3] += r * r * k
        mom[t, 4] += s2
        mom[t, 5] += r * s1
        msum[t] += rsum[j, 0]
        ssum[t] += rsum[j, 1]
        box[t, 0] = min(box[t, 0], r)
        box[t, 1] = min(box[t, 1], a)
        box[t, 2] = max(box[t, 2], r + 1)
        box[t, 3] = max(box[t, 3], b)

    @njit(cache=True, nogil=True)
    def _block_gather(
        runs: Any,
        rsum: Any,
        n: int,
        o: int,
        lab0: int,
        lab1: int,
        parent: Any,
        mom: Any,
        box: Any,
        msum: Any,
        ssum: Any,
    ) -> int:
        """Label and gather the components rooted in one block (labels ``lab0 + 1 ..
        lab1``, rows ``lab0 .. lab1 - 1``), touching only the block's own slots.

        Runs in index order: a root (``parent[i] == i``) takes the next label, stored
        in place as ``-label``; any other run points at a smaller index, its block-local
        root, which the stitch may have linked on to a smaller root (in this block, for
        local components joined through a later block, or in an earlier one). The
        chain is followed only while inside the block (slots no other thread writes):
        it ends at a root of the block, labelled already (it is < i), or leaves the
        block. Runs of components rooted in an earlier block are left for the serial
        fix-up; returns the last such run (-1 if none)."""
        big = np.iinfo(np.int64).max
        for t in range(lab0, lab1):
            for q in range(6):
                mom[t, q] = 0
            box[t, 0] = big
            box[t, 1] = big
            box[t, 2] = -1
            box[t, 3] = -1
            msum[t] = 0.0
            ssum[t] = 0.0
        lab = lab0
        last = -1
        for j in range(n):
            i = o + j
            p = parent[i]
            if p == i:
                lab += 1
                parent[i] = -lab
                t = lab - 1
            else:
                # up the chain while inside the block: a labelled root (< i), or out
                while p >= o:
                    v = parent[p]
                    if v < 0:
                        break
                    p = v
                if p < o:
                    last = j
                    continue
                t = -parent[p] - 1
            _add_run(runs, rsum, j, t, mom, box, msum, ssum)
        return last

    @njit(cache=True, parallel=True)
    def _components(
        runs: Any, rsum: Any, counts: Any, min_pixels: int
    ) -> tuple[Any, Any, Any, Any, int]:
        """Components of the blocked runs, straight from the (blocks, cap, .) buffers
        (run ``j`` of block ``b`` has global index ``off[b] + j``: raster order).

        1. parallel: union-find inside each block (a block holds whole rows), counting
           the block-local roots;
        2. serial: stitch each block's first row to the previous block's last row,
           linking the larger root to the smaller (one root fewer in its block), so a
           global root is the first run of its component and labels numbered in root
           order follow raster order (first pixel), as ``scipy.ndimage.label``; prefix
           sums of the root counts give each block its labels;
        3. parallel: each block labels its roots and gathers the components rooted in
           it, run by run in raster order;
        4. serial: the runs of components that cross into later blocks, block after
           block (each block's only up to its last such run), so every component's
           float sums are added run by run in raster order, exactly as serially.
        """
        nblk = counts.shape[0]
        off = np.zeros(nblk + 1, dtype=np.int64)
        for b in range(nblk):
            off[b + 1] = off[b] + counts[b]
        total = off[nblk]
        parent = np.empty(total, dtype=np.int32)
        nroot = np.zeros(nblk, dtype=np.int64)
        for b in prange(nblk):
            nroot[b] = _block_union(runs[b], counts[b], off[b], parent)
        # stitch: the previous non-empty block's last row against this block's first
        pb = -1
        for b in range(nblk):
            n = counts[b]
            if n == 0:
                continue
            if pb >= 0:
                fr = runs[b, 0, 0]
                m = counts[pb]
                if runs[pb, m - 1, 0] == fr - 1:
                    ps = m - 1
                    while ps > 0 and runs[pb, ps - 1, 0] == fr - 1:
                        ps -= 1
                    p = ps
                    q = 0
                    while q < n and runs[b, q, 0] == fr:
                        a0 = runs[b, q, 1]
                        a1 = runs[b, q, 2]
                        while p < m and runs[pb, p, 2] < a0:
                            p += 1
                        k = p
                        while k < m and runs[pb, k, 1] <= a1:
                            x = _find(parent, off[b] + q)
                            y = _find(parent, off[pb] + k)
                            if x != y:
                                lo = min(x, y)
                                hi = max(x, y)
                                parent[hi] = lo
                                # hi is no longer a root: one fewer in its block
                                nroot[np.searchsorted(off, hi, side="right") - 1] -= 1
                            k += 1
                        q += 1
            pb = b
        base = np.zeros(nblk + 1, dtype=np.int64)
        for b in range(nblk):
            base[b + 1] = base[b] + nroot[b]
        nlab = base[nblk]
        mom = np.empty((nlab, 6), dtype=np.int64)  # area, sr, sc, srr, scc, src
        box = np.empty((nlab, 4), dtype=np.int64)  # rmin, cmin, rmax, cmax (excl.)
        msum = np.empty(nlab, dtype=np.float64)
        ssum = np.empty(nlab, dtype=np.float64)
        last = np.empty(nblk, dtype=np.int64)
        for b in prange(nblk):
            last[b] = _block_gather(
                runs[b],
                rsum[b],
                counts[b],
                off[b],
                base[b],
                base[b + 1],
                parent,
                mom,
                box,
                msum,
                ssum,
            )
        # fix-up, serial and in raster order: runs rooted in earlier blocks
        for b in range(nblk):
            o = off[b]
            for j in range(last[b] + 1):
                lab = _label_of(parent, o + j)
                if lab <= base[b]:
                    _add_run(runs[b], rsum[b], j, lab - 1, mom, box, msum, ssum)
        # keep the components of at least min_pixels, compacted in place (label order)
        j = 0
        for t in range(nlab):
            if mom[t, 0] >= min_pixels:
                if j != t:
                    for q in range(6):
                        mom[j, q] = mom[t, q]
                    for q in range(4):
                        box[j, q] = box[t, q]
                    msum[j] = msum[t]
                    ssum[j] = ssum[t]
                j += 1
        return mom[:j], box[:j], msum[:j], ssum[:j], nlab


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
    mom, box, msum, ssum, n = _components(runs, sums, counts, min_pixels)
    return mom, box, msum, ssum, int(n)


def set_threads(n: int) -> None:
    """Set numba's thread count (benchmarks)."""
    if HAVE_NUMBA:
        numba.set_num_threads(n)
