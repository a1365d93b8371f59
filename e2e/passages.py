"""Select a passage of the article in the browser, as a reader would."""

# Finds the passage in one text node of the article body (the source text may
# break lines inside it), selects it, and `cut` characters fewer at its end.
SELECT = r"""([passage, cut, mouseup]) => {
  const body = document.querySelector('.article-body');
  const words = passage.split(' ').map(w => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(words.join('\\s+'));
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const found = pattern.exec(node.data);
    if (!found) continue;
    const range = document.createRange();
    range.setStart(node, found.index);
    range.setEnd(node, found.index + found[0].length - cut);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (mouseup) body.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return selection.toString();
  }
  throw new Error('passage not found: ' + passage);
}"""


def select(page, passage, cut=0, mouseup=True):
    """Select `passage` (less `cut` characters at its end); return the selection.

    `mouseup` also sends the event a mouse would end the selection with; a
    touch selection (long press, handles) sends none.
    """
    return page.evaluate(SELECT, [passage, cut, mouseup])


def fill_guest(form, name, email, text, label="Your comment"):
    form.get_by_role("textbox", name="Name").fill(name)
    form.get_by_role("textbox", name="Email").fill(email)
    form.get_by_label(label).fill(text)
