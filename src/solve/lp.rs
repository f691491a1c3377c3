//! One HiGHS model kept alive across solves: columns and rows are added, costs and bounds
//! changed, and the next solve starts from the last basis. good_lp rebuilds a model for
//! every solve, which is what a lexicographic run over a large flow model cannot afford
//! (each level would start its simplex from nothing).
//!
//! A thin safe layer over HiGHS's C API; every call checks the status HiGHS returns.

use std::ffi::{CString, c_void};

use highs_sys::*;

use super::mip::MipError;

/// A row `lower ≤ a·x ≤ upper` with its (column, value) entries: (lower, upper, entries).
pub type Row = (f64, f64, Vec<(usize, f64)>);

/// How a solve of a [`LiveModel`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveStatus {
    Optimal,
    Infeasible,
    /// Stopped at the time limit (a MIP may still have a solution).
    TimeLimit,
}

/// An LP basis as HiGHS reports it.
#[derive(Debug, Clone)]
pub struct Basis {
    cols: Vec<HighsInt>,
    rows: Vec<HighsInt>,
}

impl Basis {
    /// The same basis after [`LiveModel::delete_cols`] removed the columns `gone` marks.
    pub fn without_cols(&self, gone: &[bool]) -> Basis {
        Basis {
            cols: self
                .cols
                .iter()
                .enumerate()
                .filter(|&(c, _)| !gone.get(c).copied().unwrap_or(false))
                .map(|(_, &s)| s)
                .collect(),
            rows: self.rows.clone(),
        }
    }
}

/// A HiGHS instance holding one model, minimised.
pub struct LiveModel {
    ptr: *mut c_void,
    cols: usize,
    rows: usize,
}

// SAFETY: the HiGHS instance is owned by this value alone and HiGHS keeps no reference to
// the thread that created it; it is used by one thread at a time (`&mut self`).
unsafe impl Send for LiveModel {}

impl Drop for LiveModel {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Highs_create` and is destroyed once.
        unsafe { Highs_destroy(self.ptr) }
    }
}

fn check(status: HighsInt, what: &str) -> Result<(), MipError> {
    if status == kHighsStatusError {
        Err(MipError::Highs(what.to_string()))
    } else {
        Ok(())
    }
}

/// Packed (index, value) lists in HiGHS's compressed form: each list's start, then every
/// index and value in order.
type Packed = (Vec<HighsInt>, Vec<HighsInt>, Vec<f64>);

fn pack<'a>(lists: impl Iterator<Item = &'a [(usize, f64)]>) -> Result<Packed, MipError> {
    let (mut starts, mut index, mut value) = (Vec::new(), Vec::new(), Vec::new());
    for list in lists {
        starts.push(count(index.len())?);
        for &(i, v) in list {
            index.push(count(i)?);
            value.push(v);
        }
    }
    Ok((starts, index, value))
}

fn count(n: usize) -> Result<HighsInt, MipError> {
    HighsInt::try_from(n).map_err(|_| MipError::Highs("hold a model this large".into()))
}

impl LiveModel {
    /// An empty model, quiet unless `log` is set, minimising, with `threads` HiGHS threads.
    pub fn new(log: bool, threads: u32) -> Result<LiveModel, MipError> {
        // SAFETY: plain constructor; a null pointer is checked below.
        let ptr = unsafe { Highs_create() };
        if ptr.is_null() {
            return Err(MipError::Highs("start".into()));
        }
        let mut m = LiveModel {
            ptr,
            cols: 0,
            rows: 0,
        };
        m.set_bool("output_flag", log)?;
        m.set_bool("log_to_console", log)?;
        m.set_int("random_seed", 0)?;
        m.set_int("threads", threads.max(1) as i32)?;
        Ok(m)
    }

    pub fn num_cols(&self) -> usize {
        self.cols
    }

    pub fn num_rows(&self) -> usize {
        self.rows
    }

    pub fn set_bool(&mut self, name: &str, value: bool) -> Result<(), MipError> {
        let c = CString::new(name).map_err(|_| MipError::Highs("name an option".into()))?;
        // SAFETY: valid instance and NUL-terminated name.
        check(
            unsafe { Highs_setBoolOptionValue(self.ptr, c.as_ptr(), value as HighsInt) },
            name,
        )
    }

    pub fn set_int(&mut self, name: &str, value: i32) -> Result<(), MipError> {
        let c = CString::new(name).map_err(|_| MipError::Highs("name an option".into()))?;
        // SAFETY: as above.
        check(
            unsafe { Highs_setIntOptionValue(self.ptr, c.as_ptr(), value) },
            name,
        )
    }

    pub fn set_float(&mut self, name: &str, value: f64) -> Result<(), MipError> {
        let c = CString::new(name).map_err(|_| MipError::Highs("name an option".into()))?;
        // SAFETY: as above.
        check(
            unsafe { Highs_setDoubleOptionValue(self.ptr, c.as_ptr(), value) },
            name,
        )
    }

    pub fn set_string(&mut self, name: &str, value: &str) -> Result<(), MipError> {
        let c = CString::new(name).map_err(|_| MipError::Highs("name an option".into()))?;
        let v = CString::new(value).map_err(|_| MipError::Highs("set an option".into()))?;
        // SAFETY: as above.
        check(
            unsafe { Highs_setStringOptionValue(self.ptr, c.as_ptr(), v.as_ptr()) },
            name,
        )
    }

    /// Appends empty rows `lower ≤ a·x ≤ upper`; their entries come with the columns.
    pub fn add_rows(&mut self, lower: &[f64], upper: &[f64]) -> Result<(), MipError> {
        let rows: Vec<Row> = lower
            .iter()
            .zip(upper)
            .map(|(&lo, &hi)| (lo, hi, Vec::new()))
            .collect();
        self.add_rows_with(&rows)
    }

    /// Appends one row with its entries over existing columns.
    pub fn add_row(
        &mut self,
        lower: f64,
        upper: f64,
        entries: &[(usize, f64)],
    ) -> Result<(), MipError> {
        self.add_rows_with(&[(lower, upper, entries.to_vec())])
    }

    /// Appends rows `lower ≤ a·x ≤ upper`, each with its entries over existing columns, in
    /// one call: HiGHS keeps its matrix by columns, so each single row added repacks it (on
    /// a 300,000-entry county model, 6,000 cuts one by one took 1.5 s).
    pub fn add_rows_with(&mut self, rows: &[Row]) -> Result<(), MipError> {
        if rows.is_empty() {
            return Ok(());
        }
        let lower: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let upper: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let (starts, index, value) = pack(rows.iter().map(|r| &r.2[..]))?;
        // SAFETY: starts of length n, index/value of equal length, indices of existing
        // columns.
        check(
            unsafe {
                Highs_addRows(
                    self.ptr,
                    count(rows.len())?,
                    lower.as_ptr(),
                    upper.as_ptr(),
                    count(index.len())?,
                    starts.as_ptr(),
                    index.as_ptr(),
                    value.as_ptr(),
                )
            },
            "add rows",
        )?;
        self.rows += rows.len();
        Ok(())
    }

    /// Appends columns: `cost`, bounds and, per column, its (row, value) entries.
    pub fn add_cols(
        &mut self,
        cost: &[f64],
        lower: &[f64],
        upper: &[f64],
        entries: &[Vec<(usize, f64)>],
    ) -> Result<(), MipError> {
        if cost.is_empty() {
            return Ok(());
        }
        let (starts, index, value) = pack(entries.iter().map(|c| &c[..]))?;
        // SAFETY: all arrays sized as HiGHS expects; row indices exist.
        check(
            unsafe {
                Highs_addCols(
                    self.ptr,
                    count(cost.len())?,
                    cost.as_ptr(),
                    lower.as_ptr(),
                    upper.as_ptr(),
                    count(index.len())?,
                    starts.as_ptr(),
                    index.as_ptr(),
                    value.as_ptr(),
                )
            },
            "add columns",
        )?;
        self.cols += cost.len();
        Ok(())
    }

    /// Replaces every column's cost.
    pub fn set_costs(&mut self, cost: &[f64]) -> Result<(), MipError> {
        if cost.is_empty() {
            return Ok(());
        }
        // SAFETY: one cost per column.
        check(
            unsafe {
                Highs_changeColsCostByRange(self.ptr, 0, count(cost.len())? - 1, cost.as_ptr())
            },
            "change costs",
        )
    }

    /// Makes a row free (−∞, ∞): it no longer binds.
    pub fn relax_row(&mut self, row: usize) -> Result<(), MipError> {
        // SAFETY: valid instance; HiGHS checks the index.
        check(
            unsafe {
                Highs_changeRowBounds(self.ptr, count(row)?, f64::NEG_INFINITY, f64::INFINITY)
            },
            "relax a row",
        )
    }

    /// Changes the bounds of the columns in `set`.
    pub fn set_col_bounds(
        &mut self,
        set: &[usize],
        lower: &[f64],
        upper: &[f64],
    ) -> Result<(), MipError> {
        if set.is_empty() {
            return Ok(());
        }
        let idx: Vec<HighsInt> = set.iter().map(|&c| count(c)).collect::<Result<_, _>>()?;
        // SAFETY: arrays of equal length.
        check(
            unsafe {
                Highs_changeColsBoundsBySet(
                    self.ptr,
                    count(idx.len())?,
                    idx.as_ptr(),
                    lower.as_ptr(),
                    upper.as_ptr(),
                )
            },
            "change bounds",
        )
    }

    /// Marks every column integer (`integer[c]`) or continuous.
    pub fn set_integrality(&mut self, integer: &[bool]) -> Result<(), MipError> {
        if integer.is_empty() {
            return Ok(());
        }
        let kinds: Vec<HighsInt> = integer
            .iter()
            .map(|&i| {
                if i {
                    kHighsVarTypeInteger
                } else {
                    kHighsVarTypeContinuous
                }
            })
            .collect();
        // SAFETY: one entry per column.
        check(
            unsafe {
                Highs_changeColsIntegralityByRange(
                    self.ptr,
                    0,
                    count(kinds.len())? - 1,
                    kinds.as_ptr(),
                )
            },
            "change integrality",
        )
    }

    /// Drops every integrality mark: the next solve is an LP.
    pub fn clear_integrality(&mut self) -> Result<(), MipError> {
        // SAFETY: valid instance.
        check(
            unsafe { Highs_clearIntegrality(self.ptr) },
            "clear integrality",
        )
    }

    /// A start point for the next MIP solve (one value per column).
    pub fn set_start(&mut self, values: &[f64]) -> Result<(), MipError> {
        if values.len() != self.cols || values.is_empty() {
            return Ok(());
        }
        // SAFETY: one value per column; the other arrays may be null.
        check(
            unsafe {
                Highs_setSolution(
                    self.ptr,
                    values.as_ptr(),
                    std::ptr::null(),
                    std::ptr::null(),
                    std::ptr::null(),
                )
            },
            "take a start point",
        )
    }

    /// The basis of the last LP solve: (columns, rows), HiGHS's status codes.
    pub fn basis(&self) -> Option<Basis> {
        let mut cols = vec![0 as HighsInt; self.cols];
        let mut rows = vec![0 as HighsInt; self.rows];
        // SAFETY: arrays sized to the model.
        let s = unsafe { Highs_getBasis(self.ptr, cols.as_mut_ptr(), rows.as_mut_ptr()) };
        (s != kHighsStatusError).then_some(Basis { cols, rows })
    }

    /// Deletes the columns `set` (ascending); the others keep their order and move down.
    /// HiGHS keeps its basis valid when every deleted column is nonbasic.
    pub fn delete_cols(&mut self, set: &[usize]) -> Result<(), MipError> {
        if set.is_empty() {
            return Ok(());
        }
        let index: Vec<HighsInt> = set.iter().map(|&c| count(c)).collect::<Result<_, _>>()?;
        // SAFETY: ascending indices of existing columns.
        check(
            unsafe { Highs_deleteColsBySet(self.ptr, count(index.len())?, index.as_ptr()) },
            "delete columns",
        )?;
        self.cols -= set.len();
        Ok(())
    }

    /// Restores a basis taken before columns and rows were appended: a new column is
    /// nonbasic at its lower bound, a new row basic (its slack), which keeps the basis
    /// valid. Ignored when HiGHS rejects it (the next solve then starts afresh).
    pub fn restore_basis(&mut self, basis: &Basis) {
        let mut cols = basis.cols.clone();
        cols.resize(self.cols, kHighsBasisStatusLower);
        let mut rows = basis.rows.clone();
        rows.resize(self.rows, kHighsBasisStatusBasic);
        if cols.len() != self.cols || rows.len() != self.rows {
            return;
        }
        // SAFETY: arrays sized to the model.
        unsafe { Highs_setBasis(self.ptr, cols.as_ptr(), rows.as_ptr()) };
    }

    /// Solves within `seconds`.
    pub fn run(&mut self, seconds: f64) -> Result<LiveStatus, MipError> {
        // HiGHS's LP solver holds `time_limit` against the run time summed over every run
        // of the instance (its MIP solver against the run's own): without zeroing, a
        // re-solve late in a live model's life stopped at once.
        // SAFETY: valid instance.
        check(unsafe { Highs_zeroAllClocks(self.ptr) }, "zero clocks")?;
        self.set_float("time_limit", seconds.max(0.05))?;
        // SAFETY: valid instance.
        let run = unsafe { Highs_run(self.ptr) };
        check(run, "solve")?;
        // SAFETY: valid instance.
        let status = unsafe { Highs_getModelStatus(self.ptr) };
        Ok(match status {
            s if s == kHighsModelStatusOptimal || s == kHighsModelStatusModelEmpty => {
                LiveStatus::Optimal
            }
            s if s == kHighsModelStatusInfeasible
                || s == kHighsModelStatusUnboundedOrInfeasible =>
            {
                LiveStatus::Infeasible
            }
            s if s == kHighsModelStatusTimeLimit
                || s == kHighsModelStatusIterationLimit
                || s == kHighsModelStatusInterrupt
                || s == kHighsModelStatusSolutionLimit
                || s == kHighsModelStatusObjectiveBound
                || s == kHighsModelStatusObjectiveTarget =>
            {
                LiveStatus::TimeLimit
            }
            other => return Err(MipError::Highs(format!("finish: model status {other}"))),
        })
    }

    /// The objective of the last solve's solution.
    pub fn objective(&self) -> f64 {
        // SAFETY: valid instance.
        unsafe { Highs_getObjectiveValue(self.ptr) }
    }

    /// Whether the last solve left a primal solution.
    pub fn has_solution(&self) -> bool {
        let mut v: HighsInt = 0;
        let name = c"primal_solution_status";
        // SAFETY: valid instance and name.
        let s = unsafe { Highs_getIntInfoValue(self.ptr, name.as_ptr(), &mut v) };
        s != kHighsStatusError && v == 2
    }

    /// HiGHS's dual bound of the last MIP solve (NaN when it has none).
    pub fn mip_dual_bound(&self) -> f64 {
        let mut v = f64::NAN;
        let name = c"mip_dual_bound";
        // SAFETY: valid instance and name.
        let s = unsafe { Highs_getDoubleInfoValue(self.ptr, name.as_ptr(), &mut v) };
        if s == kHighsStatusError || !v.is_finite() {
            f64::NAN
        } else {
            v
        }
    }

    /// Column duals (reduced costs) of the last LP solve.
    pub fn reduced_costs(&self) -> Vec<f64> {
        self.full_solution().1
    }

    /// Column values and row duals of the last solve.
    pub fn solution(&self) -> (Vec<f64>, Vec<f64>) {
        let (cols, _, _, row_dual) = self.full_solution();
        (cols, row_dual)
    }

    /// Column values and duals, row values and duals of the last solve.
    fn full_solution(&self) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut cols = vec![0.0; self.cols];
        let mut col_dual = vec![0.0; self.cols];
        let mut rows = vec![0.0; self.rows];
        let mut row_dual = vec![0.0; self.rows];
        // SAFETY: arrays sized to the model.
        unsafe {
            Highs_getSolution(
                self.ptr,
                cols.as_mut_ptr(),
                col_dual.as_mut_ptr(),
                rows.as_mut_ptr(),
                row_dual.as_mut_ptr(),
            );
        }
        (cols, col_dual, rows, row_dual)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// min x + y, x + y ≥ 1.5, x, y ∈ [0, 3]: LP 1.5, MIP 2; then a new column z of cost
    /// 0.5 in the row makes the LP 0.75.
    #[test]
    fn solves_lp_then_mip_then_grows() {
        let mut m = LiveModel::new(false, 1).unwrap();
        m.add_rows(&[1.5], &[f64::INFINITY]).unwrap();
        m.add_cols(
            &[1.0, 1.0],
            &[0.0, 0.0],
            &[3.0, 3.0],
            &[vec![(0, 1.0)], vec![(0, 1.0)]],
        )
        .unwrap();
        assert_eq!(m.run(10.0).unwrap(), LiveStatus::Optimal);
        assert!((m.objective() - 1.5).abs() < 1e-9);
        let (_, duals) = m.solution();
        assert!((duals[0] - 1.0).abs() < 1e-9);
        m.set_integrality(&[true, true]).unwrap();
        assert_eq!(m.run(10.0).unwrap(), LiveStatus::Optimal);
        assert!((m.objective() - 2.0).abs() < 1e-9);
        assert!((m.mip_dual_bound() - 2.0).abs() < 1e-6);
        m.clear_integrality().unwrap();
        m.add_cols(&[0.5], &[0.0], &[3.0], &[vec![(0, 1.0)]])
            .unwrap();
        assert_eq!(m.run(10.0).unwrap(), LiveStatus::Optimal);
        assert!((m.objective() - 0.75).abs() < 1e-9);
        m.add_row(f64::NEG_INFINITY, 0.5, &[(2, 1.0)]).unwrap();
        assert_eq!(m.run(10.0).unwrap(), LiveStatus::Optimal);
        // z = 0.5 (0.25), the rest by x or y (1.0).
        assert!((m.objective() - 1.25).abs() < 1e-9);
        m.add_row(2.0, f64::INFINITY, &[(0, 1.0)]).unwrap();
        assert_eq!(m.run(10.0).unwrap(), LiveStatus::Optimal);
        // x = 2 already covers the 1.5.
        assert!((m.objective() - 2.0).abs() < 1e-9);
        m.add_row(f64::NEG_INFINITY, 1.0, &[(0, 1.0)]).unwrap();
        assert_eq!(m.run(10.0).unwrap(), LiveStatus::Infeasible);
    }

    /// Rows added in one call act as the same rows added one by one: min x + 2y with
    /// x ≤ 1 and x + y ≥ 3 is 5; a third row, empty, only counts.
    #[test]
    fn rows_added_together_bind_like_rows_added_alone() {
        let mut m = LiveModel::new(false, 1).unwrap();
        m.add_cols(
            &[1.0, 2.0],
            &[0.0, 0.0],
            &[10.0, 10.0],
            &[Vec::new(), Vec::new()],
        )
        .unwrap();
        let rows: Vec<Row> = vec![
            (f64::NEG_INFINITY, 1.0, vec![(0, 1.0)]),
            (3.0, f64::INFINITY, vec![(0, 1.0), (1, 1.0)]),
            (f64::NEG_INFINITY, 0.0, Vec::new()),
        ];
        m.add_rows_with(&rows).unwrap();
        assert_eq!(m.num_rows(), 3);
        assert_eq!(m.run(10.0).unwrap(), LiveStatus::Optimal);
        assert!((m.objective() - 5.0).abs() < 1e-9);
        let (values, _) = m.solution();
        assert!((values[0] - 1.0).abs() < 1e-9 && (values[1] - 2.0).abs() < 1e-9);
    }
}
