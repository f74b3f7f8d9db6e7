"""One gnuplot chart for the code generation benchmarks: clustered bars per spec on a log
scale (the specs span three orders of magnitude), written as an SVG."""
import subprocess
import tempfile


def bars(svg, title, ylabel, series, rows, yformat="%g"):
    """series: [(legend, colour)]; rows: [(label, [value per series])]; a value of 0 or
    None is left out (a run that failed); a series with no value at all is not drawn
    (gnuplot refuses a plot with no valid point)."""
    keep = [i for i in range(len(series)) if any(v[i] for _, v in rows)]
    series = [series[i] for i in keep]
    rows = [(label, [values[i] for i in keep]) for label, values in rows]
    if not series:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".dat") as dat:
        for label, values in rows:
            dat.write(f'"{label}" ' + " ".join(f"{v:.4g}" if v else "NaN" for v in values) + "\n")
        dat.flush()
        plots = ", ".join(f"\"{dat.name}\" using {i + 2}{':xtic(1)' if i == 0 else ''} title \"{t}\" lc rgb \"{c}\""
                          for i, (t, c) in enumerate(series))
        gp = f"""set terminal svg size 860,400 font "sans,11" background rgb "white"
set output "{svg}"
set title "{title}"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set ylabel "{ylabel}"
set format y "{yformat}"
set key outside top center horizontal
set rmargin 14
set xtics noenhanced rotate by -25
set bmargin 6
plot {plots}
"""
        subprocess.run(["gnuplot"], input=gp, text=True, check=True)
