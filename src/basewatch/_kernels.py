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
        sd: Any,
        ok: Any,
        out: Any,
    ) -> None:
        nb = before.shape[0]
        nc = before.shape[2]
        if nb == 4 and isint:
            # the common Sentinel-2 case, fused: one pass over the 8 input rows
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
                t = np.float32(0.0) + d0
                t = t + d1
                t = t + d2
                t = t + d3
                sq[c] = q
                sd[c] = t
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
        nb = before.shape[0]
        nc = before.shape[2]
        for c in range(nc):
            sq[c] = np.float32(0.0)
            sd[c] = np.float32(0.0)
            ok[c] = 1
        for b in range(nb):
            g = gain[b]
            o = bias[b]
            brow = before[b, r]
            arow = after[b, r]
            for c in range(nc):
                d = np.float32(arow[c]) * g + o - np.float32(brow[c])
                sq[c] += d * d
                sd[c] += d
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
        sqi: Any,
        sdi: Any,
        runs: Any,
        psq: Any,
        psd: Any,
        blk: int,
        n: int,
        npx: int,
        cap: int,
        pcap: int,
        inv: np.float32,
    ) -> tuple[int, int]:
        """Append the runs of one opened mask row, and their pixels' CVA magnitude
        ``sqrt(sq)`` and mean band difference ``sd * inv`` (float32)."""
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
            k = c - start
            if n < cap:
                runs[blk, n, 0] = gr
                runs[blk, n, 1] = start
                runs[blk, n, 2] = c
            n += 1
            if npx + k <= pcap:
                for q in range(start, c):
                    psq[npx] = np.sqrt(sqi[q])
                    psd[npx] = sdi[q] * inv
                    npx += 1
            else:
                npx += k
            continue
        return n, npx

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
        pcap: int,
    ) -> tuple[Any, Any, Any, Any]:
        nr = before.shape[1]
        nc = before.shape[2]
        ncp = ((nc + 7) // 8) * 8
        runs = np.empty((nblk, cap, 3), dtype=np.int32)
        psq = np.empty((nblk, pcap), dtype=np.float32)
        psd = np.empty((nblk, pcap), dtype=np.float32)
        counts = np.zeros((nblk, 2), dtype=np.int64)
        inv = np.float32(1.0) / np.float32(before.shape[0])
        for blk in prange(nblk):
            r0 = blk * nr // nblk
            r1 = (blk + 1) * nr // nblk
            if r1 <= r0:
                continue
            # rolling buffers: three mask/value rows, two block rows, one output row
            m3 = np.zeros((3, ncp), dtype=np.uint8)
            sq3 = np.empty((3, nc), dtype=np.float32)
            sd3 = np.empty((3, nc), dtype=np.float32)
            e2 = np.zeros((2, ncp), dtype=np.uint8)
            zero = np.zeros(ncp, dtype=np.uint8)
            orow = np.zeros(ncp, dtype=np.uint8)
            o64 = orow.view(np.uint64)
            ok = np.empty(nc, dtype=np.uint8)
            n = 0
            npx = 0
            ra = max(r0 - 1, 0) if opening else r0
            rb = min(r1 + 1, nr) if opening else r1
            for r in range(ra, rb):
                sl = r % 3
                _row_mask(
                    before, after, r, gain, bias, nodata, isint, thr2, sq3[sl], sd3[sl], ok, m3[sl]
                )
                if not opening:
                    n, npx = _emit(
                        m3[sl],
                        m3[sl].view(np.uint64),
                        nc,
                        r,
                        sq3[sl],
                        sd3[sl],
                        runs,
                        psq[blk],
                        psd[blk],
                        blk,
                        n,
                        npx,
                        cap,
                        pcap,
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
                n, npx = _emit(
                    orow,
                    o64,
                    nc,
                    o,
                    sq3[o % 3],
                    sd3[o % 3],
                    runs,
                    psq[blk],
                    psd[blk],
                    blk,
                    n,
                    npx,
                    cap,
                    pcap,
                    inv,
                )
            if opening and r1 == nr:
                # the last image row: no block starts on it
                o = nr - 1
                eprev = e2[o % 2 ^ 1] if o - 1 >= ra else zero
                orow[0] = eprev[0]
                for c in range(1, nc):
                    orow[c] = eprev[c] | eprev[c - 1]
                n, npx = _emit(
                    orow,
                    o64,
                    nc,
                    o,
                    sq3[o % 3],
                    sd3[o % 3],
                    runs,
                    psq[blk],
                    psd[blk],
                    blk,
                    n,
                    npx,
                    cap,
                    pcap,
                    inv,
                )
            counts[blk, 0] = n
            counts[blk, 1] = npx
        return runs, psq, psd, counts

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
        parent = np.arange(n)
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
        labels = np.zeros(n, dtype=np.int64)
        nlab = 0
        for i in range(n):
            root = _find(parent, i)
            if root == i:
                nlab += 1
                labels[i] = nlab
            else:
                labels[i] = labels[root]
        return labels, nlab

    @njit(cache=True)
    def _concat_runs(runs: Any, counts: Any) -> tuple[Any, Any, Any]:
        total = 0
        for b in range(counts.shape[0]):
            total += counts[b, 0]
        row = np.empty(total, dtype=np.int32)
        c0 = np.empty(total, dtype=np.int32)
        c1 = np.empty(total, dtype=np.int32)
        i = 0
        for b in range(counts.shape[0]):
            for j in range(counts[b, 0]):
                row[i] = runs[b, j, 0]
                c0[i] = runs[b, j, 1]
                c1[i] = runs[b, j, 2]
                i += 1
        return row, c0, c1

    @njit(cache=True)
    def _gather(
        row: Any,
        c0: Any,
        c1: Any,
        pmag: Any,
        psgn: Any,
        counts: Any,
        labels: Any,
        nlab: int,
    ) -> tuple[Any, Any, Any, Any]:
        mom = np.zeros((nlab + 1, 6), dtype=np.int64)  # area, sr, sc, srr, scc, src
        box = np.empty((nlab + 1, 4), dtype=np.int64)  # rmin, cmin, rmax, cmax (excl.)
        box[:, 0] = np.iinfo(np.int64).max
        box[:, 1] = np.iinfo(np.int64).max
        box[:, 2] = -1
        box[:, 3] = -1
        msum = np.zeros(nlab + 1, dtype=np.float64)
        ssum = np.zeros(nlab + 1, dtype=np.float64)
        i = 0
        for blk in range(counts.shape[0]):
            pm = pmag[blk]
            ps = psgn[blk]
            p = 0
            for _ in range(counts[blk, 0]):
                lab = labels[i]
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
                # pixel by pixel, in raster order (the order numpy.bincount adds in)
                am = msum[lab]
                asg = ssum[lab]
                for q in range(p, p + k):
                    am += np.float64(pm[q])
                    asg += np.float64(ps[q])
                msum[lab] = am
                ssum[lab] = asg
                p += int(k)
                box[lab, 0] = min(box[lab, 0], r)
                box[lab, 1] = min(box[lab, 1], a)
                box[lab, 2] = max(box[lab, 2], r + 1)
                box[lab, 3] = max(box[lab, 3], b)
                i += 1
        return mom[1:], box[1:], msum[1:], ssum[1:]


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
) -> tuple[NDArray[np.int32], NDArray[np.float32], NDArray[np.float32], NDArray[np.int64]]:
    """Runs of changed pixels after the opening, per block of rows.

    Returns ``runs`` (blocks, cap, 3): ``(row, col_start, col_end)``; ``mag`` and
    ``sgn`` (blocks, pcap): CVA magnitude and mean band difference of each run pixel;
    ``counts`` (blocks, 2): runs and pixels used in each block. Blocks, runs and
    pixels are in raster order.

    The rows are cut into ``blocks`` (default 4 per thread) processed in parallel, each
    streaming its rows through three-row buffers. ``expected_fraction`` of changed
    pixels sizes the output buffers (they grow and the pass is redone if one overflows).
    """
    isint = bool(np.issubdtype(before.dtype, np.integer))
    nd = before.dtype.type(nodata) if isint else before.dtype.type(0)
    nr, nc = before.shape[1:]
    nblk = max(1, min(nr, blocks if blocks is not None else 4 * numba.get_num_threads()))
    rows = -(-nr // nblk)
    pcap = int(1.5 * expected_fraction * rows * nc) + 8 * nc
    cap = pcap // 2 + 64
    while True:
        runs, psq, psd, counts = _block_runs(
            before, after, gain, bias, nd, isint, np.float32(thr2), opening, nblk, cap, pcap
        )
        over_r = int(counts[:, 0].max(initial=0))
        over_p = int(counts[:, 1].max(initial=0))
        if over_r <= cap and over_p <= pcap:
            break
        cap = max(cap, over_r)
        pcap = max(pcap, over_p)
    return runs, psq, psd, counts


def runs_to_components(
    runs: NDArray[np.int32],
    mag: NDArray[np.float32],
    sgn: NDArray[np.float32],
    counts: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], int]:
    """8-connected components of the runs (labelled by first pixel in raster order, as
    ``scipy.ndimage.label``): integer moments, boxes and summed magnitude and signed
    change, accumulated in raster order (as ``numpy.bincount``)."""
    row, c0, c1 = _concat_runs(runs, counts)
    labels, n = _label_runs(row, c0, c1)
    mom, box, msum, ssum = _gather(row, c0, c1, mag, sgn, counts, labels, n)
    return mom, box, msum, ssum, int(n)


def set_threads(n: int) -> None:
    """Set numba's thread count (benchmarks)."""
    if HAVE_NUMBA:
        numba.set_num_threads(n)
