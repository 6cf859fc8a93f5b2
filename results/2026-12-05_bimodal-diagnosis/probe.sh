ch=$1
./run.sh y $ch 1 >/dev/null &
sleep 5.5
for t in 1 2 3; do
  pid=$(pgrep -f 'org.openjdk.jmh.runner.ForkedMain' | head -1)
  [ -n "$pid" ] && ps -L -o tid,psr,pcpu,comm -p $pid --sort=-pcpu | sed -n 2p | awk '{printf "psr=%s(%s%%) ", $2,$3}'
  sleep 1.3
done
wait
echo " $ch $(grep -o 'hits: *[0-9.]*' y.log | awk '{printf "%.1f ", $2/1e6}')"
