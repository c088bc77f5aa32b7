"""notebooks/explore.ipynb runs top to bottom in a kernel from this environment."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "explore.ipynb"


@pytest.mark.slow
def test_explore_notebook_runs_top_to_bottom_and_shows_the_map(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    nb = nbformat.read(NOTEBOOK, as_version=4)
    # Run from a copy of notebooks/ so that its ../build output lands in tmp_path.
    workdir = tmp_path / "notebooks"
    workdir.mkdir()
    # The kernel is this interpreter, whatever kernelspecs the machine has.
    ksm = KernelSpecManager()
    try:
        ksm.get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.fail("no python3 kernel: install ipykernel in the environment")
    client = nbclient.NotebookClient(
        nb,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    )
    client.kernel_manager_class = _manager_for(sys.executable)
    client.execute()

    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    # The map cell displays inline, with our data block inside the iframe.
    assert any("mapper-data" in h and "iframe" in h for h in html)
    # The claims table lists both sides.
    assert any("BLA" in h and "ISPR" in h for h in html)
    assert (tmp_path / "build" / "notebook-map.html").exists()
    # A village only a geocoded table knows resolves once the learned gazetteer is in front.
    assert any("Chah Kolan" in h and "learned.csv (learned:" in h for h in html)
    # The extracted draft: the armed group's figure beside the army's, and its map.
    assert any("BLF" in h and "armed group" in h and "ISPR" in h for h in html)
    assert sum("mapper-data" in h and "iframe" in h for h in html) >= 2
    # A spreadsheet imports by its headers: the mapping is printed, the figures are claims.
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "killed_low   <- 'Killed Min'" in text
    assert any("Newsroom log" in h and "newsroom_log-3" in h for h in html)


def _manager_for(python: str):
    from jupyter_client.manager import KernelManager

    class VenvKernelManager(KernelManager):
        """Start the kernel with this interpreter, not whatever 'python3' is on PATH."""

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            return [python, *cmd[1:]] if cmd and "python" in Path(cmd[0]).name else cmd

    return VenvKernelManager
