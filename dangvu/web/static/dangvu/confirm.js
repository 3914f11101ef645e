/* Ask once before an irreversible action (dangvu/web/confirm.py). A form marked with data-confirm is
   stopped before it is posted (also before HTMX sees it), a dialog says what cannot be undone, and on
   "yes" the form is posted once with confirmed=<action>. Without this script the server asks instead. */
(function () {
  "use strict";
  var FIELD = "confirmed";

  function applies(form) {
    var d = form.dataset;
    if (!d.confirm) return false;
    if (form.querySelector("input[data-confirm-given]")) return false;
    if (d.confirmWhenField) {
      var field = form.elements[d.confirmWhenField];
      return !!field && field.value.trim() === d.confirmWhenValue;
    }
    return true;
  }

  function button(text, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (className) b.className = className;
    return b;
  }

  function ask(form, submitter) {
    var d = form.dataset;
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.id = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-question");
    var question = document.createElement("h2");
    question.id = "confirm-dialog-question";
    question.textContent = d.confirmQuestion;
    var undone = document.createElement("p");
    undone.textContent = d.confirmUndone;
    var actions = document.createElement("p");
    actions.className = "form-actions";
    var yes = button(d.confirmYes, "");
    yes.id = "confirm-dialog-yes";
    var no = button(d.confirmNo, "secondary");
    no.id = "confirm-dialog-no";
    actions.append(yes, no);
    dialog.append(question, undone, actions);
    no.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); });
    yes.addEventListener("click", function () {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = FIELD;
      input.value = d.confirm;
      input.setAttribute("data-confirm-given", "");
      form.appendChild(input);
      dialog.close();
      if (submitter && submitter.form === form) {
        submitter.focus(); /* HTMX reads the button that has the focus for its name and value */
        form.requestSubmit(submitter);
      } else {
        form.requestSubmit();
      }
      input.remove(); /* the values were read when the form was submitted: the next post asks again */
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    no.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !applies(form)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    ask(form, event.submitter);
  }, true);
})();
