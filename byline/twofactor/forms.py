from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Six-digit code from your authenticator app",
        max_length=20,
        error_messages={"required": "Enter the code your app shows."},
    )

    def clean_code(self):
        # Apps show "123 456"; people type it with the space.
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code is the six digits your app shows.")
        return code
