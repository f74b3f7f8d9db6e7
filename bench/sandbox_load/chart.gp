# The sandbox load benchmark's chart (run.sh passes dir='bench/sandbox_load' and wrk_threads): requests/s
# and p99 latency of the four servers, GET and POST, both on log scales (Prism and the
# ceiling are orders of magnitude apart).
set terminal svg size 900,400 font "sans,11" background rgb "white"
set output dir."/results.svg"
set multiplot layout 1,2 title sprintf("Loopback load, wrk -t%d -c64 -d30s: tether-sandbox (event loop; httplib transport) vs Prism mock vs bare cpp-httplib", wrk_threads)
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set key top left
set xtics noenhanced
set title "requests/s (higher is better)"
plot dir."/chart.dat" using 2:xtic(1) title "GET" lc rgb "#2b6cb0", '' using 3 title "POST" lc rgb "#c05621"
set title "p99 latency, ms (lower is better)"
plot dir."/chart.dat" using 4:xtic(1) title "GET" lc rgb "#2b6cb0", '' using 5 title "POST" lc rgb "#c05621"
unset multiplot
