//! Times loading a pack natively: `Pack::from_bytes` = prefix checks,
//! CRC-32, one copy into aligned memory, rkyv validation and the
//! consistency checks (the file read is not timed).
//!
//! ```text
//! cargo run --release --example load_bench -- [build/pack.bin] [runs]
//! ```
//!
//! Prints one line; with `--ms` only the median in milliseconds (for
//! scripts/bench.sh).

use std::time::{Duration, Instant};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let bare = args.iter().any(|a| a == "--ms");
    args.retain(|a| a != "--ms");
    let path = args.first().cloned().unwrap_or_else(|| "build/pack.bin".to_string());
    let runs: usize = match args.get(1).map(|r| r.parse()) {
        None => 21,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("load_bench: the number of runs must be a positive integer");
            std::process::exit(2);
        }
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("load_bench: cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    // One warm-up run (page cache, allocator), then `runs` timed ones.
    for i in 0..=runs {
        let start = Instant::now();
        let pack = match territoire::Pack::from_bytes(&bytes) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("load_bench: {path}: {e}");
                std::process::exit(1);
            }
        };
        let elapsed = start.elapsed();
        std::hint::black_box(&pack);
        drop(pack);
        if i > 0 {
            times.push(elapsed);
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    if bare {
        println!("{median:.3}");
    } else {
        println!(
            "load_bench: {path} ({} bytes): Pack::from_bytes median {median:.3} ms over {runs} runs (min {:.3}, max {:.3})",
            bytes.len(),
            ms(times[0]),
            ms(times[times.len() - 1]),
        );
    }
}
