#!/bin/sh
# Writes the deal fixture of t620 into folder $1: 60 deals that go to
# proposal and close on 2026-03-01 (odd numbers won after three meetings
# in the month before, even numbers lost after two emails) and two open
# deals (61 with three recent meetings, 62 with two emails).
d=$1
echo "external_id,name,stage,amount,currency,owner,source" >"$d/open.csv"
echo "external_id,stage" >"$d/stage.csv"
echo "external_id,stage,close_reason" >"$d/close.csv"
echo "deal_id,type,direction,occurred_at" >"$d/acts.csv"
i=1
while [ $i -le 62 ]; do
	echo "D$i,Deal $i,prospecting,$((i * 100)),EUR,kim,web" >>"$d/open.csv"
	echo "D$i,proposal" >>"$d/stage.csv"
	if [ $i -le 60 ]; then
		if [ $((i % 2)) -eq 1 ]; then
			echo "D$i,closed_won," >>"$d/close.csv"
			for day in 10 15 20; do
				echo "$i,meeting,out,2026-02-${day}T10:00:00Z" >>"$d/acts.csv"
			done
		else
			echo "D$i,closed_lost,price" >>"$d/close.csv"
			for day in 10 15; do
				echo "$i,email,out,2026-02-${day}T10:00:00Z" >>"$d/acts.csv"
			done
		fi
	fi
	i=$((i + 1))
done
for day in 01 05 10; do
	echo "61,meeting,out,2026-11-${day}T10:00:00Z" >>"$d/acts.csv"
done
for day in 01 05; do
	echo "62,email,out,2026-11-${day}T10:00:00Z" >>"$d/acts.csv"
done
