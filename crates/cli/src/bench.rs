//! `peacetrack bench`: extraction throughput and peak memory.
//!
//! Builds the tagger once, then makes `--repeat` passes over the documents on one thread, streaming one
//! document at a time: read it (`peacetrack_read`), date and tag it as `extract` does
//! ([`peacetrack_extract::pipeline::analyse`]: the date it states, else the one inferred from its content), drop
//! it. The report gives the text bytes processed, the time taken (reading and extraction separately
//! too), MB/s (10^6 bytes per second of the whole pass), documents per second and the process's peak
//! resident memory (`VmHWM`).

use crate::BenchArgs;
use peacetrack_extract::pipeline;
use peacetrack_read::{Input, ReadOptions};
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Totals over all passes.
#[derive(Debug, Default)]
struct Totals {
    documents: usize,
    text_bytes: u64,
    input_bytes: u64,
    timexes: usize,
    /// Events and conditions found.
    events: usize,
    read_time: Duration,
    /// Document date and temporal expressions.
    time_time: Duration,
    /// Everything after reading: date, time, events and conditions.
    extract_time: Duration,
    /// The time of the fastest pass (the least disturbed by other work on the machine).
    fastest_pass: Option<Duration>,
}

/// Runs `peacetrack bench`.
pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    if args.repeat == 0 {
        anyhow::bail!("--repeat must be at least 1");
    }
    let (inputs, errors) = peacetrack_read::collect_inputs(&args.paths);
    let mut failed = !errors.is_empty();
    for err in &errors {
        eprintln!("{err}");
    }
    if inputs.contains(&Input::Stdin) {
        anyhow::bail!("bench reads its documents several times: give files, not stdin (-)");
    }

    let opts = ReadOptions::default();
    let engines = pipeline::Engines::load()?;
    // Inputs that fail to read are reported once (first pass) and left out of later passes.
    let mut usable = vec![true; inputs.len()];
    let mut totals = Totals::default();
    let started = Instant::now();
    for pass in 0..args.repeat {
        let pass_started = Instant::now();
        for (input, ok) in inputs.iter().zip(usable.iter_mut()) {
            if !*ok {
                continue;
            }
            let t0 = Instant::now();
            let doc = match peacetrack_read::read_input(input, &opts) {
                Ok(doc) => doc,
                Err(err) => {
                    if pass == 0 {
                        eprintln!("{err}");
                    }
                    *ok = false;
                    failed = true;
                    continue;
                }
            };
            let t1 = Instant::now();
            let (date, timexes) = pipeline::date_and_time(&engines, &doc, None);
            let t2 = Instant::now();
            let (events, conditions) = pipeline::who_what_where(&engines, &doc, &date, &timexes);
            let analysis = pipeline::redate(
                &engines,
                &doc,
                pipeline::Analysis {
                    date,
                    timexes,
                    events,
                    conditions,
                },
            );
            let t3 = Instant::now();

            totals.timexes += black_box(&analysis.timexes).len();
            totals.events +=
                black_box(&analysis.events).len() + black_box(&analysis.conditions).len();
            totals.documents += 1;
            totals.text_bytes += doc.text.len() as u64;
            if let Input::Path(path) = input {
                totals.input_bytes += std::fs::metadata(path).map_or(0, |m| m.len());
            }
            totals.read_time += t1 - t0;
            totals.time_time += t2 - t1;
            totals.extract_time += t3 - t1;
        }
        // Every pass reads the same documents (a document that failed is left out from the first
        // pass on), so the passes compare.
        let took = pass_started.elapsed();
        totals.fastest_pass = Some(totals.fastest_pass.map_or(took, |t| t.min(took)));
    }
    let elapsed = started.elapsed();

    if totals.documents == 0 {
        eprintln!("peacetrack: no readable documents");
        return Ok(ExitCode::from(1));
    }
    print!(
        "{}",
        report(&totals, args.repeat, elapsed, peak_memory_mib())
    );
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`), in MiB.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    parse_vmhwm(&status)
}

fn parse_vmhwm(status: &str) -> Option<f64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let mut fields = line["VmHWM:".len()..].split_whitespace();
    let value: f64 = fields.next()?.parse().ok()?;
    let scale = match fields.next().unwrap_or("kB") {
        "kB" => 1024.0,
        "mB" | "MB" => 1024.0 * 1024.0,
        "B" => 1.0,
        _ => return None,
    };
    Some(value * scale / (1024.0 * 1024.0))
}

fn rate(amount: f64, time: Duration) -> f64 {
    let secs = time.as_secs_f64();
    if secs > 0.0 { amount / secs } else { 0.0 }
}

fn report(t: &Totals, repeat: usize, elapsed: Duration, peak_mib: Option<f64>) -> String {
    let per_pass = t.documents / repeat;
    let mb = t.text_bytes as f64 / 1e6;
    let mut lines = vec![
        format!(
            "documents      {per_pass} per pass, {repeat} passes ({} in all)",
            t.documents
        ),
        format!(
            "bytes          {} of text ({} per pass; input files {} per pass)",
            t.text_bytes,
            t.text_bytes / repeat as u64,
            t.input_bytes / repeat as u64
        ),
        format!(
            "seconds        {:.3} (reading {:.3}, date + time {:.3}, events + conditions {:.3})",
            elapsed.as_secs_f64(),
            t.read_time.as_secs_f64(),
            t.time_time.as_secs_f64(),
            (t.extract_time - t.time_time).as_secs_f64()
        ),
        format!(
            "throughput     {:.2} MB/s end to end (extraction alone {:.2} MB/s; reading + date + time {:.2} MB/s)",
            rate(mb, elapsed),
            rate(mb, t.extract_time),
            rate(mb, t.read_time + t.time_time)
        ),
        format!(
            "fastest pass   {:.2} MB/s end to end ({:.3} s)",
            rate(
                mb / repeat as f64,
                t.fastest_pass.unwrap_or(elapsed / repeat as u32)
            ),
            t.fastest_pass
                .unwrap_or(elapsed / repeat as u32)
                .as_secs_f64()
        ),
        format!("documents/s    {:.1}", rate(t.documents as f64, elapsed)),
        format!("timexes        {} per pass", t.timexes / repeat),
        format!("events + conditions {} per pass", t.events / repeat),
    ];
    lines.push(match peak_mib {
        Some(m) => format!("peak memory    {m:.1} MiB (VmHWM)"),
        None => "peak memory    unavailable (no /proc/self/status)".to_string(),
    });
    lines.join("\n") + "\n"
}

/// The timeline query `i` of a benchmark run: by country, actor, type or place, every other one
/// within three years.
fn timeline_query(i: usize, limit: usize) -> peacetrack_store::EventFilter {
    let countries = ["ARM", "AZE", "TUR", "RUS", "USA", "EU", "IRN", "GEO"];
    let kinds = ["CONSULT", "AGREE", "REQUEST", "ASSAULT"];
    let places = ["Moscow", "Vienna", "Brussels", "Baku"];
    let year = 1996 + (i * 7) % 29;
    let mut f = peacetrack_store::EventFilter {
        limit: Some(limit),
        ..peacetrack_store::EventFilter::default()
    };
    match i % 5 {
        0 => f.country = Some(countries[i % countries.len()].into()),
        1 => f.actor = Some(peacetrack_store::synth::actor_name(i % 500)),
        2 => f.kind = Some(kinds[i % kinds.len()].into()),
        3 => f.place = Some(places[i % places.len()].into()),
        _ => f.country = Some(countries[(i / 5) % countries.len()].into()),
    }
    if i.is_multiple_of(2) {
        f.from = Some(format!("{year}"));
        f.to = Some(format!("{}", year + 2));
    }
    f
}

/// The store of a benchmark: opened, and filled with `events` synthetic events when empty.
fn bench_store(db: &str, events: usize) -> anyhow::Result<peacetrack_store::Store> {
    let mut store = peacetrack_store::Store::open(db)?;
    if store.counts()?.events == 0 {
        let t = Instant::now();
        eprintln!(
            "generating {events} synthetic events into {} …",
            store.location().display()
        );
        store.generate_synthetic(events, 42)?;
        eprintln!("generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    Ok(store)
}

/// Percentile `p` (0..=1) of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// `bench-timeline`: filtered timeline pages over a (synthetic) store, as a user's queries would
/// come: by country, actor, type, place or document, with and without a date range.
pub fn timeline(db: &str, args: &crate::BenchTimelineArgs) -> anyhow::Result<ExitCode> {
    let mut store = bench_store(db, args.events)?;
    let events = store.counts()?.events;
    let mut latencies = Vec::with_capacity(args.queries);
    let mut rows = 0usize;
    for i in 0..args.queries {
        let f = timeline_query(i, args.limit);
        let t = Instant::now();
        rows += store.events(&f)?.len();
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "{} filtered timeline queries (page of {}) over {} events in {}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} rows)",
        latencies.len(),
        args.limit,
        events,
        store.location().display(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0),
        rows
    );
    Ok(ExitCode::SUCCESS)
}

/// The request line's target of a filter, as `GET /api/events` takes it.
fn events_uri(f: &peacetrack_store::EventFilter) -> String {
    let mut q = vec![format!("limit={}", f.limit.unwrap_or(100))];
    let mut add = |k: &str, v: &Option<String>| {
        if let Some(v) = v {
            let enc: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b == b'-' {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            q.push(format!("{k}={enc}"));
        }
    };
    add("country", &f.country);
    add("actor", &f.actor);
    add("type", &f.kind);
    add("place", &f.place);
    add("from", &f.from);
    add("to", &f.to);
    format!("/api/events?{}", q.join("&"))
}

/// What one connection of the load saw.
#[derive(Default)]
struct Load {
    latencies_ms: Vec<f64>,
    errors: usize,
    not_ok: usize,
    bytes: usize,
}

/// Sends requests on one keep-alive connection until `until`; latencies are kept from `from`.
async fn connection(
    addr: std::net::SocketAddr,
    first: usize,
    step: usize,
    limit: usize,
    from: Instant,
    until: Instant,
) -> Load {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut load = Load::default();
    let mut i = first;
    'connect: while Instant::now() < until {
        let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
            load.errors += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
        while Instant::now() < until {
            let uri = events_uri(&timeline_query(i, limit));
            i += step;
            let request = format!(
                "GET {uri} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n"
            );
            let t = Instant::now();
            if stream.write_all(request.as_bytes()).await.is_err() {
                load.errors += 1;
                continue 'connect;
            }
            // The head, then Content-Length bytes of body.
            buf.clear();
            let (head_end, length, status) = loop {
                let mut chunk = [0u8; 16 * 1024];
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => {
                        load.errors += 1;
                        continue 'connect;
                    }
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
                if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let status = head.get(9..12).unwrap_or("").to_string();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok());
                    let Some(length) = length else {
                        load.errors += 1;
                        continue 'connect;
                    };
                    break (end + 4, length, status);
                }
            };
            while buf.len() < head_end + length {
                let mut chunk = [0u8; 64 * 1024];
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => {
                        load.errors += 1;
                        continue 'connect;
                    }
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            if t >= from {
                load.latencies_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                load.bytes += length;
                if status != "200" {
                    load.not_ok += 1;
                }
            }
        }
    }
    load
}

/// `bench-serve`: the server on a loopback port and `connections` clients asking for timeline pages
/// for `seconds` (after a second's warm-up): requests per second and latency percentiles.
pub fn serve(db: &str, args: &crate::BenchServeArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.connections > 0 && args.seconds > 0.0,
        "--connections and --seconds must be positive"
    );
    let events = bench_store(db, args.events)?.counts()?.events;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (loads, elapsed) = runtime.block_on(async {
        let mut config = peacetrack_serve::ServeConfig::new(
            db.to_string(),
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        );
        config.token = Some("bench-token-not-for-writes".into());
        let bound = peacetrack_serve::bind(config).await?;
        let addr = bound.local_addr();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(bound.run(async {
            let _ = stopped.await;
        }));
        let from = Instant::now() + Duration::from_secs(1);
        let until = from + Duration::from_secs_f64(args.seconds);
        let clients: Vec<_> = (0..args.connections)
            .map(|c| {
                tokio::spawn(connection(
                    addr,
                    c,
                    args.connections,
                    args.limit,
                    from,
                    until,
                ))
            })
            .collect();
        let mut loads = Vec::new();
        for c in clients {
            loads.push(c.await?);
        }
        let elapsed = from.elapsed().as_secs_f64().min(args.seconds).max(1e-9);
        let _ = stop.send(());
        server.await??;
        anyhow::Ok((loads, elapsed))
    })?;
    let mut latencies: Vec<f64> = loads.iter().flat_map(|l| l.latencies_ms.clone()).collect();
    latencies.sort_by(f64::total_cmp);
    let errors: usize = loads.iter().map(|l| l.errors).sum();
    let not_ok: usize = loads.iter().map(|l| l.not_ok).sum();
    let bytes: usize = loads.iter().map(|l| l.bytes).sum();
    println!(
        "GET /api/events (timeline pages of {}, filtered as in bench-timeline) over {} events, {} connections, {:.1} s: \
         {:.0} requests/s, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} requests, {} not 200, {} connection errors, {:.1} MB/s",
        args.limit,
        events,
        args.connections,
        elapsed,
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0.0),
        latencies.len(),
        not_ok,
        errors,
        bytes as f64 / elapsed / 1e6
    );
    Ok(if not_ok == 0 && errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vmhwm() {
        let status =
            "Name:\tpeacetrack\nVmPeak:\t  20000 kB\nVmHWM:\t    5120 kB\nVmRSS:\t 4000 kB\n";
        assert_eq!(parse_vmhwm(status), Some(5.0));
        assert_eq!(parse_vmhwm("Name: x\n"), None);
        assert!(peak_memory_mib().is_none_or(|m| m > 0.0));
    }

    #[test]
    fn report_gives_rates() {
        let totals = Totals {
            documents: 20,
            text_bytes: 4_000_000,
            input_bytes: 8_000_000,
            timexes: 100,
            events: 60,
            read_time: Duration::from_millis(500),
            time_time: Duration::from_millis(500),
            extract_time: Duration::from_millis(1500),
            fastest_pass: Some(Duration::from_millis(800)),
        };
        let text = report(&totals, 2, Duration::from_secs(2), Some(12.34));
        assert!(
            text.contains("documents      10 per pass, 2 passes (20 in all)"),
            "{text}"
        );
        assert!(text.contains("input files 4000000 per pass"), "{text}");
        assert!(
            text.contains(
                "throughput     2.00 MB/s end to end (extraction alone 2.67 MB/s; \
                 reading + date + time 4.00 MB/s)"
            ),
            "{text}"
        );
        assert!(
            text.contains("(reading 0.500, date + time 0.500, events + conditions 1.000)"),
            "{text}"
        );
        assert!(text.contains("events + conditions 30 per pass"), "{text}");
        assert!(text.contains("documents/s    10.0"), "{text}");
        assert!(
            text.contains("fastest pass   2.50 MB/s end to end (0.800 s)"),
            "{text}"
        );
        assert!(text.contains("timexes        50 per pass"), "{text}");
        assert!(text.contains("peak memory    12.3 MiB"), "{text}");
    }
}
