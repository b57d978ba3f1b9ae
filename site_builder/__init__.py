"""site-builder: a static site generator for 项目支出绩效目标表 (project performance targets)."""

__version__ = "0.1.0"
